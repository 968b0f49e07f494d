//! The apply script: POSIX sh that sends the request files with curl, in order, stopping at
//! the first failed request (HTTP status not 2xx, or an `error` in the answer), filling ids
//! from earlier answers with jq and printing what was created. Reads the account address and
//! the token from environment variables named by the CRM's [`Api`].

use super::{Api, Auth, Condition, CrmRenderer, Request};
use crate::diag::Lang;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// `'text'` for sh, whatever the text holds.
fn sq(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

pub fn script(r: &dyn CrmRenderer, requests: &[(String, Request)], lang: Lang) -> String {
    let api = r.api();
    let mut s = String::new();
    let optional: BTreeSet<&str> = requests
        .iter()
        .filter_map(|(_, q)| match &q.condition {
            Some(Condition::Set(v) | Condition::Unset(v)) => Some(v.as_str()),
            None => None,
        })
        .collect();
    header(&mut s, r.title(), &api, lang);
    for (i, (dir, q)) in requests.iter().enumerate() {
        let step = i + 1;
        let _ = writeln!(s, "\n# {step}. {}", q.title.replace('\n', " "));
        let body = format!("\"$here\"/{}", sq(&format!("{dir}/{}", q.file)));
        let response = format!("\"$tmp\"/{}", sq(&format!("{dir}--{}", q.file)));
        let what = sq(&q.title);
        let mut indent = "";
        if let Some(c) = &q.condition {
            let test = match c {
                Condition::Set(v) => format!("-n \"${{{v}:-}}\""),
                Condition::Unset(v) => format!("-z \"${{{v}:-}}\""),
            };
            let _ = writeln!(s, "if [ {test} ]; then");
            indent = "  ";
        }
        let mut sent_body = body.clone();
        if !q.fills.is_empty() {
            let mut args = String::new();
            let mut program = Vec::new();
            for (k, f) in q.fills.iter().enumerate() {
                let _ = write!(args, " --argjson v{k} \"${}\"", f.var);
                program.push(match &f.prefix {
                    Some(p) => format!(
                        "{} = ({} + ($v{k} | tostring))",
                        f.path,
                        serde_json::to_string(p).unwrap_or_default()
                    ),
                    None => format!("{} = $v{k}", f.path),
                });
            }
            let _ = writeln!(
                s,
                "{indent}jq{args} {} {body} > \"$tmp/body.json\"",
                sq(&program.join(" | "))
            );
            sent_body = "\"$tmp/body.json\"".to_string();
        }
        match &q.each {
            Some(each) => {
                let from = format!("\"$tmp\"/{}", sq(&format!("{dir}--{}", each.from)));
                let args: String = each
                    .args
                    .iter()
                    .map(|a| format!(" --argjson {a} \"${a}\""))
                    .collect();
                let _ = writeln!(
                    s,
                    "{indent}for id in $(jq -r{args} {} {from}); do",
                    sq(&each.filter)
                );
                let _ = writeln!(
                    s,
                    "{indent}  jq --argjson id \"$id\" {} {sent_body} > \"$tmp/each.json\"",
                    sq(&format!("{} = $id", each.path))
                );
                let _ = writeln!(
                    s,
                    "{indent}  send {} {} \"$tmp/each.json\" {what} {response}",
                    q.method,
                    sq(&q.path)
                );
                let _ = writeln!(s, "{indent}done");
            }
            None => {
                let _ = writeln!(
                    s,
                    "{indent}send {} {} {sent_body} {what} {response}",
                    q.method,
                    sq(&q.path)
                );
            }
        }
        for save in &q.saves {
            let func = if optional.contains(save.var.as_str()) && q.condition.is_none() {
                "maybe"
            } else {
                "take"
            };
            let _ = writeln!(
                s,
                "{indent}{}=$({func} {} {response} {what})",
                save.var,
                sq(&save.filter)
            );
            if let Some(created) = &save.created {
                let _ = writeln!(
                    s,
                    "{indent}echo {}\" (id ${})\"",
                    sq(&format!("{}: {created}", lang.pick("создано", "created"))),
                    save.var
                );
            }
        }
        if q.condition.is_some() {
            s.push_str("fi\n");
        }
    }
    let _ = writeln!(
        s,
        "\necho {}\"$sent\"",
        sq(lang.pick("готово, отправлено запросов: ", "done, requests sent: "))
    );
    s
}

fn header(s: &mut String, title: &str, api: &Api, lang: Lang) {
    let (url, token) = (api.url_var, api.token_var);
    let _ = writeln!(s, "#!/bin/sh");
    let _ = writeln!(
        s,
        "# {title}: {}",
        lang.pick(
            "настройка воронок по положению о системе продаж. Создано voronka.",
            "pipelines set up from the sales regulation. Generated by voronka."
        )
    );
    let _ = writeln!(s, "#");
    let _ = writeln!(
        s,
        "# {}",
        lang.pick("Переменные окружения:", "Environment variables:")
    );
    let _ = writeln!(
        s,
        "#   {url} — {} {}",
        lang.pick("адрес аккаунта, например", "the account address, e.g."),
        api.url_example
    );
    let _ = writeln!(
        s,
        "#   {token} — {}",
        lang.pick(api.token_help.0, api.token_help.1)
    );
    let _ = writeln!(
        s,
        "# {}",
        lang.pick(
            "Нужны curl и jq. Скрипт останавливается на первом неудачном запросе.",
            "Needs curl and jq. Stops at the first failed request."
        )
    );
    s.push_str("set -eu\n\n");
    match api.url_default {
        Some(default) => {
            let _ = writeln!(s, ": \"${{{url}:={default}}}\"");
        }
        None => {
            let _ = writeln!(
                s,
                ": \"${{{url}:?{} {url}: {}}}\"",
                lang.pick("задайте", "set"),
                api.url_example
            );
        }
    }
    let _ = writeln!(
        s,
        ": \"${{{token}:?{} {token}: {}}}\"",
        lang.pick("задайте", "set"),
        lang.pick("токен доступа, см. README.md", "the access token, see README.md")
    );
    let _ = writeln!(s, "for tool in curl jq; do");
    let _ = writeln!(
        s,
        "  command -v \"$tool\" >/dev/null 2>&1 || {{ echo \"{} $tool{}\" >&2; exit 1; }}",
        lang.pick("ошибка: нужна программа", "error: this script needs"),
        lang.pick(
            " (например: apt-get install curl jq)",
            " (e.g. apt-get install curl jq)"
        )
    );
    s.push_str("done\n\n");
    s.push_str("here=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\n");
    let _ = writeln!(s, "base=${{{url}%/}}");
    s.push_str("tmp=$(mktemp -d)\ntrap 'rm -rf \"$tmp\"' EXIT\ntrap 'exit 1' INT TERM\nsent=0\n\n");
    let (failed, http, crm_error, missing) = match lang {
        Lang::Ru => (
            "ошибка: запрос не отправлен",
            "ошибка: HTTP",
            "ошибка: CRM вернула ошибку",
            "ошибка: в ответе нет ожидаемого значения",
        ),
        Lang::En => (
            "error: the request was not sent",
            "error: HTTP",
            "error: the CRM returned an error",
            "error: the answer lacks the expected value",
        ),
    };
    let auth = match api.auth {
        Auth::Bearer => format!("-H \"Authorization: Bearer ${token}\" \"$base$2\""),
        Auth::ApiTokenHeader => format!("-H \"x-api-token: ${token}\" \"$base$2\""),
        Auth::InPath => format!("\"$base/rest/${{{token}%/}}/$2.json\""),
    };
    let _ = writeln!(s, "# send METHOD PATH BODY WHAT RESPONSE");
    s.push_str("send() {\n");
    let _ = writeln!(
        s,
        "  code=$(curl -sS -o \"$5\" -w '%{{http_code}}' -X \"$1\" -H 'Content-Type: application/json' -H 'Accept: application/json' --data-binary \"@$3\" {auth}) || {{ echo \"{failed}: $4\" >&2; exit 1; }}"
    );
    s.push_str("  case $code in\n    2??) ;;\n");
    let _ = writeln!(
        s,
        "    *) echo \"{http} $code: $4\" >&2; cat \"$5\" >&2; echo >&2; exit 1 ;;"
    );
    s.push_str("  esac\n");
    let _ = writeln!(
        s,
        "  if ! jq -e 'type != \"object\" or (has(\"error\") | not)' \"$5\" >/dev/null 2>&1; then\n    echo \"{crm_error}: $4\" >&2; cat \"$5\" >&2; echo >&2; exit 1\n  fi"
    );
    s.push_str("  sent=$((sent + 1))\n}\n\n");
    let _ = writeln!(s, "# take FILTER RESPONSE WHAT: a value the next requests need");
    s.push_str("take() {\n");
    let _ = writeln!(
        s,
        "  jq -er \"$1\" \"$2\" 2>/dev/null || {{ echo \"{missing} ($1): $3\" >&2; cat \"$2\" >&2; echo >&2; exit 1; }}"
    );
    s.push_str("}\n\n");
    s.push_str("# maybe FILTER RESPONSE WHAT: a value that may be absent\n");
    s.push_str("maybe() {\n  jq -r \"$1\" \"$2\" 2>/dev/null || true\n}\n");
}
