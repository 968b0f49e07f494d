//! `voronka init [DIR] [--defaults]`: asks the ten questions (on stderr, answers read line by
//! line from stdin, so answers can be piped) and writes `DIR/положение.sales`
//! (`DIR/regulation.sales` with `--lang en`). An existing file is never overwritten (exit 2).

use super::args::InitArgs;
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE, write_atomically};
use crate::diag::Lang;
use crate::init::{Answers, ask, render};
use std::io::IsTerminal;
use std::path::PathBuf;

pub fn run(args: &InitArgs, lang: Lang) -> i32 {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let file = dir.join(lang.pick("положение.sales", "regulation.sales"));
    if file.exists() {
        eprintln!(
            "{} {}\n{}",
            lang.pick("ошибка: файл уже существует:", "error: the file already exists:"),
            file.display(),
            lang.pick(
                "Подсказка: укажите другую папку (voronka init ПАПКА) или переименуйте существующий файл.",
                "Hint: name another folder (voronka init DIR) or rename the existing file."
            )
        );
        return EXIT_USAGE;
    }
    let answers = if args.defaults {
        Answers::defaults(lang)
    } else {
        eprintln!(
            "{}",
            lang.pick(
                "Новое положение о системе продаж: десять вопросов. Enter — ответ в скобках.",
                "A new sales regulation: ten questions. Enter takes the answer in brackets."
            )
        );
        let stdin = std::io::stdin();
        let echo = !stdin.is_terminal();
        match ask(&mut stdin.lock(), &mut std::io::stderr(), lang, echo) {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "{}: {e}",
                    lang.pick("ошибка чтения ответов", "cannot read the answers")
                );
                return EXIT_USAGE;
            }
        }
    };
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let text = match render(&answers, lang, &name) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "{}: {e}",
                lang.pick(
                    "ошибка: положение не сформировано",
                    "error: no regulation written"
                )
            );
            return EXIT_INPUT;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!(
            "{} {}: {e}",
            lang.pick("ошибка записи", "cannot write"),
            dir.display()
        );
        return super::EXIT_IO;
    }
    if let Err(e) = write_atomically(&file, text.as_bytes()) {
        eprintln!("{}", e.show(lang));
        return super::EXIT_IO;
    }
    println!("{}", file.display());
    eprintln!(
        "{} voronka check {}",
        lang.pick(
            "Готово. Дополните разделы по комментариям «Дальше:» и проверьте:",
            "Done. Fill in the sections marked \"Next:\" and check:"
        ),
        file.display()
    );
    EXIT_OK
}
