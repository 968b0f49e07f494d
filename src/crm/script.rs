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

/// Every line indented by two spaces.
fn nest(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// The `{var}` names in a request path.
fn vars_in(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(v, _)| v.to_string()))
        .collect()
}

/// A request path for sh: `{var}` becomes `${var}`, the whole in double quotes. Paths are
/// ours (ASCII letters, digits, `/._?=&-`), so nothing else needs quoting.
fn path(p: &str) -> String {
    format!("\"{}\"", p.replace('{', "${"))
}

pub fn script(r: &dyn CrmRenderer, requests: &[(String, Request)], lang: Lang) -> String {
    let api = r.api();
    let mut s = String::new();
    // Variables that may stay empty: a lookup that finds nothing leaves them so.
    let optional: BTreeSet<&str> = requests
        .iter()
        .flat_map(|(_, q)| {
            let cond = match &q.condition {
                Some(Condition::Set(v) | Condition::Unset(v)) => Some(v.as_str()),
                None => None,
            };
            cond.into_iter()
                .chain(q.fills.iter().filter(|f| f.optional).map(|f| f.var.as_str()))
        })
        .collect();
    header(&mut s, r.title(), &api, lang);
    for (i, (dir, q)) in requests.iter().enumerate() {
        let step = i + 1;
        let _ = writeln!(s, "\n# {step}. {}", q.title.replace('\n', " "));
        let body = if q.has_body() {
            format!("\"$here\"/{}", sq(&format!("{dir}/{}", q.file)))
        } else {
            "-".to_string()
        };
        let response = format!("\"$tmp\"/{}", sq(&format!("{dir}--{}", q.file)));
        let what = sq(&q.title);
        let path = path(&q.path);
        let mut t = String::new();
        let mut sent_body = body.clone();
        if !q.fills.is_empty() {
            let mut args = String::new();
            let mut program = Vec::new();
            for (k, f) in q.fills.iter().enumerate() {
                if f.key {
                    let _ = write!(args, " --arg v{k} \"${}\"", f.var);
                    program.push(format!(
                        "{} |= with_entries(if .key == {} then .key = $v{k} else . end)",
                        f.path,
                        serde_json::to_string(&f.var).unwrap_or_default()
                    ));
                    continue;
                }
                if f.optional {
                    let _ = write!(args, " --argjson v{k} \"${{{}:-null}}\"", f.var);
                    program.push(format!(
                        "if $v{k} == null then del({0}) else {0} = $v{k} end",
                        f.path
                    ));
                    continue;
                }
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
                t,
                "jq{args} {} {body} > \"$tmp/body.json\"",
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
                    .map(|a| format!(" --argjson {a} \"${{{a}:-null}}\""))
                    .collect();
                let _ = writeln!(t, "for id in $(jq -r{args} {} {from}); do", sq(&each.filter));
                let _ = writeln!(
                    t,
                    "  jq --argjson id \"$id\" {} {sent_body} > \"$tmp/each.json\"",
                    sq(&format!("{} = $id", each.path))
                );
                let _ = writeln!(
                    t,
                    "  send {} {path} \"$tmp/each.json\" {what} {response}",
                    q.method,
                );
                let _ = writeln!(t, "done");
            }
            None => {
                let _ = writeln!(t, "send {} {path} {sent_body} {what} {response}", q.method,);
            }
        }
        for save in &q.saves {
            let func = if optional.contains(save.var.as_str()) && q.condition.is_none() {
                "maybe"
            } else {
                "take"
            };
            let _ = writeln!(t, "{}=$({func} {} {response} {what})", save.var, sq(&save.filter));
            if let Some(created) = &save.created {
                // A lookup reports what the account already has; a create what it made.
                let (guard, word) = if func == "maybe" {
                    (
                        format!("[ -z \"${}\" ] || ", save.var),
                        lang.pick("уже есть", "already there"),
                    )
                } else {
                    (String::new(), lang.pick("создано", "created"))
                };
                let _ = writeln!(
                    t,
                    "{guard}echo {}\" (id ${})\"",
                    sq(&format!("{word}: {created}")),
                    save.var
                );
            }
        }
        // --check reads the account and sends nothing that changes it.
        let read = q.method == "GET" || q.path.ends_with(".list");
        let path_vars = vars_in(&q.path);
        let mut block = if read {
            let deps: Vec<String> = path_vars
                .iter()
                .map(String::as_str)
                .chain(q.fills.iter().filter(|f| !f.optional).map(|f| f.var.as_str()))
                .map(|v| format!("[ -n \"${{{v}:-}}\" ]"))
                .collect();
            let mut deps = deps;
            if q.verify {
                deps.insert(0, "[ \"$check\" = 0 ]".to_string());
            }
            if deps.is_empty() {
                t
            } else {
                format!("if {}; then\n{}fi\n", deps.join(" && "), nest(&t))
            }
        } else {
            let guard = if path_vars.is_empty() {
                String::new()
            } else {
                let deps: Vec<String> = path_vars
                    .iter()
                    .map(|v| format!("[ -n \"${{{v}:-}}\" ]"))
                    .collect();
                format!("{} && ", deps.join(" && "))
            };
            format!(
                "if [ \"$check\" = 1 ]; then\n  {guard}{{ echo {}; planned=$((planned + 1)); }} || true\nelse\n{}fi\n",
                sq(&format!(
                    "{}: {}",
                    lang.pick("будет отправлено", "would send"),
                    q.title.replace('\n', " ")
                )),
                nest(&t)
            )
        };
        if let Some(c) = &q.condition {
            let test = match c {
                Condition::Set(v) => format!("-n \"${{{v}:-}}\""),
                Condition::Unset(v) => format!("-z \"${{{v}:-}}\""),
            };
            block = format!("if [ {test} ]; then\n{}fi\n", nest(&block));
        }
        s.push_str(&block);
    }
    let _ = writeln!(
        s,
        "\nif [ \"$check\" = 1 ]; then\n  echo {}\"$planned\"\nelse\n  echo {}\"$sent\"\nfi",
        sq(lang.pick(
            "проверка окончена, аккаунт не изменён; запросов, которые отправил бы скрипт: ",
            "check done, the account is unchanged; requests the script would send: "
        )),
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
            "Нужны curl и jq. Скрипт останавливается на первом неудачном запросе; с --check только\n# читает аккаунт и показывает, что было бы создано.",
            "Needs curl and jq. Stops at the first failed request; with --check it only reads the\n# account and shows what would be created."
        )
    );
    s.push_str("set -eu\n\n");
    let _ = writeln!(
        s,
        "# --check: read the account and report what would be created, changed or is already there,\n# sending nothing that changes it"
    );
    let _ = writeln!(
        s,
        "check=0\ncase ${{1:-}} in\n  --check) check=1 ;;\n  '') ;;\n  *) echo \"{}: sh apply.sh [--check]\" >&2; exit 2 ;;\nesac\nplanned=0\n",
        lang.pick("использование", "usage")
    );
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
    let (failed, http, crm_error, missing, auth_failed, retry, stopped) = match lang {
        Lang::Ru => (
            "ошибка: запрос не отправлен",
            "ошибка: HTTP",
            "ошибка: CRM вернула ошибку",
            "ошибка: в ответе нет ожидаемого значения",
            "CRM не приняла токен или у него нет прав; проверьте",
            "CRM просит подождать (HTTP $code), повтор через $wait с",
            "остановлено; успешных запросов до ошибки: $sent. Созданное уже есть в CRM: повторный запуск найдёт его по названию и продолжит, не создавая заново.",
        ),
        Lang::En => (
            "error: the request was not sent",
            "error: HTTP",
            "error: the CRM returned an error",
            "error: the answer lacks the expected value",
            "the CRM refused the token or it lacks the rights; check",
            "the CRM asks to wait (HTTP $code), retrying in $wait s",
            "stopped; requests that succeeded before the error: $sent. What was created stays in the CRM: a rerun finds it by name and goes on without creating it again.",
        ),
    };
    let auth = match api.auth {
        Auth::Bearer => format!("-H \"Authorization: Bearer ${token}\" \"$base$2\""),
        Auth::ApiTokenHeader => format!("-H \"x-api-token: ${token}\" \"$base$2\""),
        Auth::InPath => format!("\"$base/rest/${{{token}%/}}/$2.json\""),
    };
    let common =
        "-sS -D \"$tmp/headers\" -o \"$5\" -w '%{http_code}' -X \"$1\" -H 'Accept: application/json'";
    let _ = writeln!(
        s,
        "# stop: why the script stops, after the failed request's answer"
    );
    let _ = writeln!(
        s,
        "stop() {{\n  echo \"$1\" >&2\n  [ ! -s \"$2\" ] || {{ cat \"$2\" >&2; echo >&2; }}\n  echo \"{stopped}\" >&2\n  exit 1\n}}\n"
    );
    let _ = writeln!(
        s,
        "# send METHOD PATH BODY WHAT RESPONSE (BODY - for none); waits and retries when the CRM\n# answers 429 or 503 (its rate limit), as long as Retry-After says, up to 5 times"
    );
    s.push_str("send() {\n  tries=0\n  while :; do\n    : > \"$tmp/headers\"\n    if [ \"$3\" = - ]; then\n");
    let _ = writeln!(
        s,
        "      code=$(curl {common} {auth}) || stop \"{failed}: $4\" /dev/null"
    );
    s.push_str("    else\n");
    let _ = writeln!(
        s,
        "      code=$(curl {common} -H 'Content-Type: application/json' --data-binary \"@$3\" {auth}) || stop \"{failed}: $4\" /dev/null"
    );
    s.push_str("    fi\n    case $code in\n      429|503)\n        tries=$((tries + 1))\n        if [ \"$tries\" -le 5 ]; then\n");
    s.push_str("          wait=$(tr -d '\\r' < \"$tmp/headers\" | sed -n 's/^[Rr][Ee][Tt][Rr][Yy]-[Aa][Ff][Tt][Ee][Rr]: *\\([0-9][0-9]*\\)$/\\1/p' | tail -n 1)\n");
    s.push_str("          [ -n \"$wait\" ] || wait=2\n          [ \"$wait\" -le 60 ] || wait=60\n");
    let _ = writeln!(s, "          echo \"{retry}: $4\" >&2");
    s.push_str("          sleep \"$wait\"\n          continue\n        fi ;;\n    esac\n    break\n  done\n");
    s.push_str("  case $code in\n    2??) ;;\n");
    let _ = writeln!(
        s,
        "    401|403) stop \"{http} $code: {auth_failed} {token}: $4\" \"$5\" ;;"
    );
    let _ = writeln!(s, "    *) stop \"{http} $code: $4\" \"$5\" ;;");
    s.push_str("  esac\n");
    let _ = writeln!(
        s,
        "  if [ -s \"$5\" ] && ! jq -e 'type != \"object\" or ((has(\"error\") and .error != null) | not)' \"$5\" >/dev/null 2>&1; then\n    stop \"{crm_error}: $4\" \"$5\"\n  fi"
    );
    s.push_str("  sent=$((sent + 1))\n}\n\n");
    let _ = writeln!(s, "# take FILTER RESPONSE WHAT: a value the next requests need");
    s.push_str("take() {\n");
    let _ = writeln!(
        s,
        "  jq -er \"$1\" \"$2\" 2>/dev/null || {{ echo \"{missing} ($1): $3\" >&2; cat \"$2\" >&2; echo >&2; exit 1; }}"
    );
    s.push_str("}\n\n");
    s.push_str("# maybe FILTER RESPONSE WHAT: a value that may be absent (a lookup by name)\n");
    s.push_str("maybe() {\n  [ -s \"$2\" ] || return 0\n  jq -r \"$1\" \"$2\" 2>/dev/null || true\n}\n");
}
