//! `voronka lsp` through the real binary: a small client writes LSP messages with
//! `Content-Length` framing to the server's stdin and reads its answers from stdout —
//! initialise, diagnostics as a Cyrillic file is opened and fixed, hover, definition,
//! references, completion, includes, hostile input, shutdown and exit.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// A file that checks clean; `BROKEN` misspells the owner of the first stage on line 8.
const GOOD: &str = r#"# Отдел продаж для проверки языкового сервера
роль Менеджер "Менеджер по продажам" { штат 3; рабочий_день 8 ч; доля_продаж 50% }
канал Сайт { лиды 100 в мес; стоимость_лида 500 ₽; воронка Продажи }
воронка Продажи {
  выход оплата "Оплата поступила на счёт"
  чек 100 000 ₽
  этап Звонок {
    ответственный Менеджер; конверсия 40%; длительность 1..3 дн
    цепочка { звонок "Первичный звонок" 30 мин }
  }
  этап Оплата { ответственный Менеджер; конверсия 50%; длительность 2 дн }
}
показатель Конверсия { результирующий; формула выиграно / (выиграно + проиграно); цель >= 20% }
правила { разрешить W0017, W0008, W0007, W0012, W0030 }
"#;

fn broken() -> String {
    GOOD.replacen(
        "ответственный Менеджер; конверсия 40%",
        "ответственный Менеджр; конверсия 40%",
        1,
    )
}

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_voronka"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("LSP_TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("the binary starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(message) = read_framed(&mut out) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages: rx,
            next_id: 0,
            pending: Vec::new(),
        }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.write_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (the whole message, `result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return self.pending.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(m) => self.pending.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("no answer in time; got {:?}", self.pending),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed stdout"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m =
            self.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        m["params"]["diagnostics"].as_array().expect("a list").clone()
    }

    fn initialize(&mut self, options: Value) -> Value {
        let response = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "voronka", "version": 1, "text": text}}),
        );
    }

    /// Shuts down and exits; returns the exit code.
    fn finish(mut self) -> Option<i32> {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> Option<i32> {
        self.stdin = None;
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

fn read_framed(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A file URI for a path the way editors write it (Cyrillic percent-encoded).
fn uri_of(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The UTF-16 position of the `nth` occurrence of `needle`, computed independently of the server.
fn position_of(text: &str, needle: &str, nth: usize) -> (u64, u64) {
    let at = text.match_indices(needle).nth(nth).expect("needle").0;
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line as u64, text[line_start..at].encode_utf16().count() as u64)
}

fn at(uri: &str, (line, character): (u64, u64)) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn workdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("воронка-lsp")
        .tempdir()
        .expect("temp dir")
}

#[test]
fn diagnostics_follow_the_text_with_utf16_positions() {
    let dir = workdir();
    let path = dir.path().join("отдел продаж.sales");
    let uri = uri_of(&path);
    let mut client = Client::start(&["lsp"]);
    let init = client.initialize(Value::Null);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync");

    let text = broken();
    client.open(&uri, &text);
    let diags = client.diagnostics(&uri);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "E0015");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "voronka");
    assert!(d["message"].as_str().unwrap().contains("Менеджр"), "{d}");
    assert!(
        d["message"].as_str().unwrap().contains("подсказка"),
        "the hint: {d}"
    );
    let (line, character) = position_of(&text, "Менеджр", 0);
    assert_eq!(d["range"]["start"], json!({"line": line, "character": character}));
    assert_eq!(
        d["range"]["end"],
        json!({"line": line, "character": character + "Менеджр".encode_utf16().count() as u64})
    );
    // In bytes the column would be twice as far: the conversion really happened.
    let line_text = text.lines().nth(line as usize).unwrap();
    assert!(line_text.find("Менеджр").unwrap() as u64 > character);

    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": GOOD}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // Edits by range work too: break it again in place.
    let (line, character) = position_of(GOOD, "Менеджер; конверсия 40%", 0);
    let range = json!({"start": {"line": line, "character": character + 6},
                       "end": {"line": line, "character": character + 7}});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": range, "text": ""}]}),
    );
    let diags = client.diagnostics(&uri);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0015");

    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new(), "closing clears");
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn hover_definition_references_and_completion() {
    let dir = workdir();
    let uri = uri_of(&dir.path().join("a.sales"));
    let mut client = Client::start(&["lsp"]);
    client.initialize(Value::Null);
    client.open(&uri, GOOD);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // Hover on the stage name «Оплата» (its definition).
    let hover = client.request("textDocument/hover", at(&uri, position_of(GOOD, "Оплата {", 0)));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .expect("markdown")
        .to_string();
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    assert!(value.contains("этап Оплата"), "{value}");
    assert!(value.contains("Менеджер («Менеджер по продажам»)"), "{value}");
    assert!(value.contains("Конверсия: 50\u{a0}%"), "{value}");
    // 100 leads a month, 40% pass the call: 40 deals enter the payment stage, 20 are won.
    assert!(value.contains("входит 40 сделок, проходит дальше 20"), "{value}");

    // Hover on a role shows its load.
    let hover = client.request("textDocument/hover", at(&uri, position_of(GOOD, "Менеджер", 3)));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Штат: 3") && value.contains("Загрузка:"),
        "{value}"
    );

    // From the owner of «Оплата» (a reference) to the role's definition.
    let reference = position_of(GOOD, "Менеджер", 3);
    let def = client.request("textDocument/definition", at(&uri, reference));
    assert_eq!(def["result"]["uri"], uri.as_str());
    let (line, character) = position_of(GOOD, "Менеджер", 0);
    assert_eq!(
        def["result"]["range"]["start"],
        json!({"line": line, "character": character})
    );

    let mut params = at(&uri, reference);
    params["context"] = json!({"includeDeclaration": true});
    let refs = client.request("textDocument/references", params);
    let starts: Vec<Value> = refs["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"].clone())
        .collect();
    let expected: Vec<Value> = [0, 2, 3]
        .iter()
        .map(|&n| {
            let (line, character) = position_of(GOOD, "Менеджер", n);
            json!({"line": line, "character": character})
        })
        .collect();
    assert_eq!(
        starts, expected,
        "the definition, then both owners (the title is a string)"
    );

    // The outline: sections in source order, stages inside their pipeline.
    let outline = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let top: Vec<&str> = outline["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["Менеджер", "Сайт", "Продажи", "Конверсия"]);
    let stages: Vec<&str> = outline["result"][2]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["Звонок", "Оплата"]);
    let (line, character) = position_of(GOOD, "Оплата {", 0);
    assert_eq!(
        outline["result"][2]["children"][1]["selectionRange"]["start"],
        json!({"line": line, "character": character})
    );

    // Completion after `ответственный` offers the role, not the stages.
    let text = GOOD.replacen("длительность 2 дн }", "длительность 2 дн; ответственный  }", 1);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let (line, character) = position_of(&text, "ответственный  }", 0);
    let completion = client.request(
        "textDocument/completion",
        at(
            &uri,
            (line, character + "ответственный ".encode_utf16().count() as u64),
        ),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Менеджер"]);
    // At the start of a statement: keywords in both languages.
    let (line, _) = position_of(&text, "  этап Оплата", 0);
    let completion = client.request("textDocument/completion", at(&uri, (line, 2)));
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"этап") && labels.contains(&"stage") && labels.contains(&"конверсия"),
        "{labels:?}"
    );

    assert_eq!(client.finish(), Some(0));
}

#[test]
fn english_on_request_and_utf8_when_offered() {
    let dir = workdir();
    let uri = uri_of(&dir.path().join("a.sales"));
    let mut client = Client::start(&["lsp", "--stdio"]);
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null,
               "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
               "initializationOptions": {"lang": "en"}}),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    client.notify("initialized", json!({}));
    let text = broken();
    client.open(&uri, &text);
    let diags = client.diagnostics(&uri);
    let at_byte = text.find("Менеджр").unwrap();
    let line_start = text[..at_byte].rfind('\n').unwrap() + 1;
    assert_eq!(
        diags[0]["range"]["start"]["character"],
        (at_byte - line_start) as u64
    );
    assert!(
        diags[0]["message"].as_str().unwrap().starts_with("undefined"),
        "{}",
        diags[0]
    );
    let (line, _) = position_of(&text, "Оплата {", 0);
    let column = text.lines().nth(line as usize).unwrap().find("Оплата").unwrap() as u64;
    let hover = client.request("textDocument/hover", at(&uri, (line, column)));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("**stage Оплата**") && value.contains("Conversion: 50%"),
        "{value}"
    );
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn diagnostics_in_an_included_file_go_to_its_uri() {
    let dir = workdir();
    let main: PathBuf = dir.path().join("главный.sales");
    let roles = dir.path().join("роли.sales");
    std::fs::write(&roles, "роль Менеджер { штат 3; доля_продаж 150% }\n").unwrap();
    let text = GOOD.replacen(
        "роль Менеджер \"Менеджер по продажам\" { штат 3; рабочий_день 8 ч; доля_продаж 50% }",
        "подключить \"роли.sales\"",
        1,
    );
    let mut client = Client::start(&["lsp"]);
    client.initialize(Value::Null);
    client.open(&uri_of(&main), &text);
    let in_roles = client.diagnostics(&uri_of(&roles));
    assert!(
        !in_roles.is_empty(),
        "the included file's error is reported there"
    );
    assert_eq!(in_roles[0]["range"]["start"]["line"], 0);
    assert!(in_roles[0]["severity"] == 1, "{in_roles:?}");
    // The role defined in the include resolves in the root: no error there.
    assert_eq!(client.diagnostics(&uri_of(&main)), Vec::<Value>::new());
    // Definition of a role used in the root lands in the included file.
    let def = client.request(
        "textDocument/definition",
        at(&uri_of(&main), position_of(&text, "Менеджер", 0)),
    );
    assert_eq!(def["result"]["uri"], uri_of(&roles).as_str());

    // Opening the included file with a fix: it is compiled as part of its root.
    client.open(&uri_of(&roles), "роль Менеджер { штат 3; доля_продаж 50% }\n");
    assert_eq!(client.diagnostics(&uri_of(&roles)), Vec::<Value>::new());
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn hostile_input_is_logged_and_the_server_goes_on() {
    let mut client = Client::start(&["lsp"]);
    // Before initialize: requests are refused, not crashed on.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    client.initialize(Value::Null);
    client.write_raw(b"Content-Length: 9\r\n\r\n{not json");
    client.write_raw(b"Content-Length: abc\r\n\r\n");
    client.write_raw(b"Content-Length: 2\r\n\r\n[]");
    let unknown = "file:///nowhere/x.sales";
    // Unknown URIs, edits to unopened documents, positions past the end, bad params.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": unknown, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    client.notify("textDocument/didOpen", json!({"textDocument": 5}));
    let hover = client.request("textDocument/hover", at(unknown, (99, 99)));
    assert_eq!(hover["result"], Value::Null);
    let bad = client.request("textDocument/definition", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);
    let missing = client.request("workspace/whatever", json!({}));
    assert_eq!(missing["error"]["code"], -32601);

    let uri = "untitled:Untitled-1";
    client.open(uri, "этап {{{ \u{1F680} \"незакрытая строка");
    let diags = client.diagnostics(uri);
    assert!(!diags.is_empty());
    for pos in [(0, 500), (40, 0), (0, 9)] {
        let r = client.request("textDocument/hover", at(uri, pos));
        assert!(r.get("error").is_none(), "{r}");
        let r = client.request("textDocument/completion", at(uri, pos));
        assert!(r["result"].is_array(), "{r}");
    }
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut client = Client::start(&["lsp"]);
    client.initialize(Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}

#[test]
fn a_burst_of_edits_is_answered_for_the_last_text() {
    let dir = workdir();
    let uri = uri_of(&dir.path().join("a.sales"));
    let mut client = Client::start(&["lsp"]);
    client.initialize(Value::Null);
    client.open(&uri, GOOD);
    // Ten edits without waiting: broken, fixed, broken… the last one is broken.
    for version in 2..=11 {
        let text = if version % 2 == 0 {
            GOOD.to_string()
        } else {
            broken()
        };
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
    // A request after the burst sees the last text: the misspelt owner is no role.
    let position = position_of(&broken(), "Менеджр", 0);
    let hover = client.request("textDocument/hover", at(&uri, position));
    assert_eq!(hover["result"], Value::Null, "{hover}");
    // Diagnostics for the last version were published before the answer.
    let last = client
        .pending
        .iter()
        .rev()
        .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str())
        .expect("diagnostics before the answer")
        .clone();
    assert_eq!(last["params"]["version"], 11);
    assert_eq!(last["params"]["diagnostics"][0]["code"], "E0015");
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn lint_levels_from_the_command_line_apply() {
    let dir = workdir();
    let uri = uri_of(&dir.path().join("a.sales"));
    let mut client = Client::start(&["lsp", "-D", "W0012"]);
    client.initialize(Value::Null);
    client.open(&uri, GOOD);
    let diags = client.diagnostics(&uri);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "W0012");
    assert_eq!(diags[0]["severity"], 1, "denied: an error");
    assert_eq!(client.finish(), Some(0));
}

fn examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("examples")
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sales"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_stage_of_every_example_has_a_hover_and_no_position_breaks_the_server() {
    let mut client = Client::start(&["lsp"]);
    client.initialize(Value::Null);
    for path in examples() {
        let path = std::fs::canonicalize(&path).unwrap();
        let uri = uri_of(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        client.open(&uri, &text);
        let diags = client.diagnostics(&uri);
        assert!(diags.iter().all(|d| d["severity"] != 1), "{path:?}: {diags:?}");
        // Every stage definition: `этап Имя` / `stage Name`.
        let mut stages = 0;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let Some(rest) = trimmed
                .strip_prefix("этап ")
                .or_else(|| trimmed.strip_prefix("stage "))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let column = line[..line.len() - rest.len()].encode_utf16().count() as u64;
            let hover = client.request("textDocument/hover", at(&uri, (i as u64, column + 1)));
            let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
            assert!(
                value.starts_with(&format!("**этап {name}**")),
                "{path:?}:{}: {hover}",
                i + 1
            );
            assert!(
                value.contains("Ответственный:") && value.contains("Конверсия:"),
                "{value}"
            );
            stages += 1;
        }
        assert!(stages >= 3, "{path:?} has stages");
        // Every request at every 16th character of every 20th line, and past the ends.
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate().step_by(20) {
            let width = line.encode_utf16().count() as u64;
            for character in (0..=width + 3).step_by(16) {
                let place = at(&uri, (i as u64, character));
                for method in [
                    "textDocument/hover",
                    "textDocument/definition",
                    "textDocument/completion",
                ] {
                    let r = client.request(method, place.clone());
                    assert!(r.get("error").is_none(), "{method} at {i}:{character}: {r}");
                }
                let mut refs = place.clone();
                refs["context"] = json!({"includeDeclaration": false});
                let r = client.request("textDocument/references", refs);
                assert!(r.get("error").is_none(), "{r}");
            }
        }
        // Cut short at eight places: the server answers every time.
        for k in 1..8 {
            let mut cut = text.len() * k / 8;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": k + 1}, "contentChanges": [{"text": &text[..cut]}]}),
            );
            let r = client.request("textDocument/hover", at(&uri, (0, 0)));
            assert!(r.get("error").is_none(), "{r}");
        }
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        client.pending.clear();
    }
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn formatting_answers_one_edit_with_the_fmt_layout() {
    let dir = workdir();
    let uri = uri_of(&dir.path().join("a.sales"));
    // Messy spacing and indentation, and a comment that must survive.
    let messy = GOOD
        .replacen("  этап Звонок {", "      этап   Звонок {   # первый этап", 1)
        .replacen("конверсия 40%", "конверсия   40 %", 1);
    let mut client = Client::start(&["lsp"]);
    client.initialize(Value::Null);
    client.open(&uri, &messy);
    client.diagnostics(&uri);
    let options = json!({"tabSize": 2, "insertSpaces": true});
    let answer = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": options}),
    );
    let edits = answer["result"].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{answer}");
    let expected = voronka::fmt::format_text(&dir.path().join("a.sales"), &messy).expect("formats");
    assert_eq!(edits[0]["newText"], expected.as_str());
    assert!(expected.contains("# первый этап"), "{expected}");
    assert!(expected.contains("конверсия 40%"), "{expected}");
    assert_eq!(edits[0]["range"]["start"], json!({"line": 0, "character": 0}));

    // Formatted text: no edits.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": expected}]}),
    );
    client.diagnostics(&uri);
    let answer = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": options}),
    );
    assert_eq!(answer["result"], json!([]));

    // A file that does not parse: no answer (null), never a half-formatted text.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "воронка {"}]}),
    );
    client.diagnostics(&uri);
    let answer = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": options}),
    );
    assert_eq!(answer["result"], Value::Null, "{answer}");
    assert_eq!(client.finish(), Some(0));
}
