//! `voronka crm FILE [--target amocrm|bitrix24|hubspot|pipedrive|all] [--out DIR]
//! [--format json|yaml] [--emit-script]`: CRM configurations. A file with errors, or a model
//! beyond a CRM's limits, is refused before anything is written (exit 1).

use super::args::{CrmArgs, CrmFormat, CrmTarget};
use super::{
    DiagFormat, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Show, compiled_for, print_diagnostics, write_files,
};
use crate::crm::{self, CrmError, CrmOptions, Target};
use crate::diag::Lang;
use crate::render::OutputFile;

const REFUSED: (&str, &str) = (
    "настройка CRM не сформирована: сначала исправьте ошибки",
    "no CRM configuration: fix the errors first",
);

pub fn run(args: &CrmArgs, lang: Lang, options: &crate::Options) -> i32 {
    let super::Checked {
        model,
        analysis,
        sources,
        ..
    } = match compiled_for(&args.file, lang, options, Show::Errors, Some(REFUSED)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let targets = match args.target {
        CrmTarget::Amocrm => vec![Target::Amocrm],
        CrmTarget::Bitrix24 => vec![Target::Bitrix24],
        CrmTarget::Hubspot => vec![Target::Hubspot],
        CrmTarget::Pipedrive => vec![Target::Pipedrive],
        CrmTarget::All => Target::ALL.to_vec(),
    };
    let setup = crm::setup::with_values(&model, &analysis.stage_values, lang);
    if args.format == CrmFormat::Yaml {
        let yaml = match crm::to_yaml(&setup) {
            Ok(y) => y,
            Err(e) => {
                eprintln!("{}: {e}", lang.pick("ошибка вывода YAML", "cannot print YAML"));
                return EXIT_USAGE;
            }
        };
        return match &args.out {
            Some(dir) => write(
                dir,
                &[OutputFile {
                    name: "stages.yaml".to_string(),
                    contents: yaml.into_bytes(),
                }],
                lang,
            ),
            None => {
                print!("{yaml}");
                EXIT_OK
            }
        };
    }
    let diagnostics = crm::check(&model, &setup, &targets, options);
    if !diagnostics.is_empty() {
        print_diagnostics(&sources, &diagnostics, DiagFormat::Human, lang);
    }
    let crm_options = CrmOptions {
        targets,
        lang,
        script: args.emit_script,
    };
    let outputs = match crm::render(&model, &setup, &diagnostics, &crm_options) {
        Ok(o) => o,
        Err(CrmError::Limits(_)) => {
            eprintln!("{}", lang.pick(REFUSED.0, REFUSED.1));
            return EXIT_INPUT;
        }
        Err(CrmError::Template(e)) => {
            eprintln!("{}: {e}", lang.pick("ошибка", "error"));
            return EXIT_INPUT;
        }
    };
    match &args.out {
        Some(dir) => write(dir, &crm::files(&outputs), lang),
        None => {
            let list: Vec<serde_json::Value> = outputs
                .iter()
                .flat_map(|o| {
                    o.requests.iter().map(move |(dir, q)| {
                        serde_json::json!({
                            "crm": o.target.id(),
                            "file": format!("{dir}/{}", q.file),
                            "method": q.method,
                            "path": q.path,
                            "body": q.body,
                        })
                    })
                })
                .collect();
            print!("{}", crm::pretty(&serde_json::Value::Array(list)));
            EXIT_OK
        }
    }
}

fn write(dir: &std::path::Path, files: &[OutputFile], lang: Lang) -> i32 {
    if let Err(code) = write_files(dir, files, lang) {
        return code;
    }
    for f in files {
        println!("{}", dir.join(&f.name).display());
    }
    EXIT_OK
}
