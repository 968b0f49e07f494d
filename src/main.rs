fn main() {
    quiet_on_closed_pipe();
    std::process::exit(voronka::cli::run())
}

/// `voronka check … --emit model | head` closes stdout early. Rust ignores SIGPIPE, so the
/// next `println!` panics with "failed printing to stdout: Broken pipe (os error 32)"; a
/// reader that has seen enough is not an error, so end quietly as a SIGPIPE-killed process
/// would (exit 141 = 128 + SIGPIPE) instead of printing a panic. Every other panic is reported
/// by the default hook.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("os error 32") {
            std::process::exit(141);
        }
        default(info);
    }));
}
