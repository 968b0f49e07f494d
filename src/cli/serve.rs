//! `voronka serve FILE [--port N] [--host H] [--open] [--runs N] [--seed S]`: starts the
//! what-if page (`crate::serve`) and says where it is.

use super::args::ServeArgs;
use super::{EXIT_IO, EXIT_OK};
use crate::diag::Lang;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};

pub fn run(args: &ServeArgs, lang: Lang, options: &crate::Options) -> i32 {
    if !args.file.is_file() {
        eprintln!(
            "{}: {}",
            lang.pick("ошибка: нет файла", "error: no such file"),
            args.file.display()
        );
        return EXIT_IO;
    }
    let host = args.host.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !host.is_loopback() {
        eprintln!(
            "{}",
            lang.pick(
                "предупреждение: страница доступна с других компьютеров по адресу --host; вход — только по ссылке с ключом, но трафик не шифруется",
                "warning: the page is reachable from other computers at --host; only the link with the token opens it, but the traffic is not encrypted"
            )
        );
    }
    let config = crate::serve::Config {
        file: args.file.clone(),
        host,
        port: args.port,
        lang,
        runs: args.runs,
        seed: args.seed,
        options: options.clone(),
    };
    let open = args.open;
    let ready = |r: &crate::serve::Ready| {
        // Written, not `println!`: a closed stdout (the reader went away) must not stop the
        // server.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{} {}\n{}",
            lang.pick("Страница «что если»:", "What-if page:"),
            r.url,
            lang.pick("Остановить — Ctrl-C", "Stop with Ctrl-C")
        );
        let _ = out.flush();
        if open {
            open_browser(&r.url, lang);
        }
    };
    match crate::serve::serve(config, ready, std::future::pending()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("{}", e.show(lang));
            EXIT_IO
        }
    }
}

/// Opens the page with the system's browser; says so when it cannot.
fn open_browser(url: &str, lang: Lang) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = command {
        eprintln!(
            "{}: {e}",
            lang.pick(
                "не удалось открыть браузер, откройте ссылку сами",
                "cannot open the browser; open the link yourself"
            )
        );
    }
}
