fn main() {
    quiet_on_output_failure();
    let code = voronka::cli::run();
    // The last line may still sit in stdout's buffer: a failure to write it is a failure too.
    if let Err(e) = std::io::Write::flush(&mut std::io::stdout())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!(
            "{}: {e}",
            if english() {
                "error: cannot write the output"
            } else {
                "ошибка: не удалось записать вывод"
            }
        );
        std::process::exit(voronka::cli::EXIT_IO);
    }
    std::process::exit(code)
}

/// Whether `--lang en` was given (the panic hook cannot reach the parsed arguments).
fn english() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--lang=en") || args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en")
}

/// `voronka check … --emit model | head` closes stdout early. Rust ignores SIGPIPE, so the
/// next `println!` panics with "failed printing to stdout: Broken pipe (os error 32)"; a
/// reader that has seen enough is not an error, so end quietly as a SIGPIPE-killed process
/// would (exit 141 = 128 + SIGPIPE) instead of printing a panic. Any other failure to print
/// (`> /dev/full`: no space left on the device) is an I/O failure: one line on stderr and
/// exit 3, never a panic. Every other panic is a bug, reported by the default hook (exit 101).
fn quiet_on_output_failure() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        let printing = message.starts_with("failed printing to stdout")
            || message.starts_with("failed printing to stderr");
        if printing && message.contains("os error 32") {
            std::process::exit(141);
        }
        if printing {
            let reason = message.split_once(": ").map_or(message, |(_, r)| r);
            let text = if english() {
                format!("error: cannot write the output: {reason}")
            } else {
                format!("ошибка: не удалось записать вывод: {reason}")
            };
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "{text}");
            std::process::exit(voronka::cli::EXIT_IO);
        }
        default(info);
    }));
}
