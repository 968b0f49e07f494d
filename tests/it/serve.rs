//! `voronka serve` through the real binary and a real browser: headless Chromium driven over
//! the DevTools protocol (one WebSocket, `tungstenite`). A headcount slider moved with the
//! keyboard must redraw the page with the very numbers `voronka simulate --scenario` prints for
//! the scenario the page saves; an edit of the file on disk must reload the page, errors shown
//! as `check` prints them over the greyed-out forecast; a wrong token or `Host` gets 403.
//! Screenshots go to `target/serve-screens/`.
//!
//! The browser tests need Chromium (`/usr/bin/chromium`, or `VORONKA_CHROMIUM`); without it
//! they fail, unless `VORONKA_SKIP_BROWSER=1`, which skips them with a message.
//! `VORONKA_SERVE_BIN=target/release/voronka` measures the optimised server's latency (the
//! figure in docs/serve.md); the debug binary's is printed, not asserted.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One browser test at a time: they measure time, and the machine has few cores.
static BROWSER: Mutex<()> = Mutex::new(());

fn bin() -> PathBuf {
    std::env::var_os("VORONKA_SERVE_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_voronka")), PathBuf::from)
}

fn screens() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/serve-screens");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The server as a child process, killed when dropped.
struct Server {
    child: Child,
    /// Kept open: the server may write more.
    _stdout: BufReader<std::process::ChildStdout>,
    url: String,
    addr: String,
    token: String,
}

impl Server {
    fn start(file: &Path, runs: u32, seed: u64) -> Server {
        let mut child = Command::new(bin())
            .args([
                "serve",
                &file.to_string_lossy(),
                "--runs",
                &runs.to_string(),
                "--seed",
                &seed.to_string(),
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("voronka serve starts");
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("the URL is printed")
            .to_owned();
        let rest = url.trim_start_matches("http://");
        let (addr, query) = rest.split_once("/?t=").unwrap();
        Server {
            _stdout: stdout,
            addr: addr.to_owned(),
            token: query.to_owned(),
            url,
            child,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 request: (status, body).
fn http(addr: &str, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn get(addr: &str, host: &str, path: &str) -> (u16, String) {
    http(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

#[test]
fn a_wrong_token_or_host_gets_403_and_bad_requests_get_4xx() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agency.sales");
    std::fs::copy("examples/agency.sales", &file).unwrap();
    let s = Server::start(&file, 50, 1);
    let (addr, t) = (&s.addr, &s.token);
    assert_eq!(get(addr, addr, &format!("/?t={t}")).0, 200);
    assert_eq!(get(addr, addr, &format!("/app.js?t={t}")).0, 200);
    let (status, body) = get(addr, addr, "/?t=0123456789abcdef0123456789abcdef");
    assert_eq!(status, 403, "{body}");
    assert_eq!(get(addr, addr, "/").0, 403);
    assert_eq!(get(addr, addr, "/api/view").0, 403);
    assert_eq!(get(addr, addr, "/api/scenario.yaml").0, 403);
    // DNS rebinding: the right token, but a page of another site.
    let (status, body) = get(addr, "attacker.example:80", &format!("/?t={t}"));
    assert_eq!(status, 403);
    assert!(body.contains("Host"), "{body}");
    let port = addr.rsplit(':').next().unwrap();
    assert_eq!(
        get(
            addr,
            &format!("attacker.example:{port}"),
            &format!("/api/view?t={t}")
        )
        .0,
        403
    );
    assert_eq!(
        get(addr, &format!("localhost:{port}"), &format!("/?t={t}")).0,
        200
    );
    // The token in a header instead of the query.
    let (status, _) = http(
        addr,
        &format!(
            "GET /api/scenario.yaml HTTP/1.1\r\nHost: {addr}\r\nx-voronka-token: {t}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(status == 200 || status == 409, "{status}");
    let post = |path: &str, body: &str| {
        http(
            addr,
            &format!(
                "POST {path}?t={t} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        )
    };
    assert_eq!(post("/api/scenario", "{not json").0, 400);
    assert_eq!(post("/api/scenario", r#"{"values":{"Менеджер.штат":-1}}"#).0, 400);
    assert_eq!(
        post("/api/scenario", r#"{"values":{},"path":"/etc/passwd"}"#).0,
        422
    );
    assert_eq!(post("/api/save", r#"{"name":"../../"}"#).0, 400);
    let big = format!(r#"{{"values":{{}},"name":"{}"}}"#, "x".repeat(100_000));
    assert_eq!(post("/api/scenario", &big).0, 413);
    // A name with separators is written inside the folder, flattened.
    let (status, body) = post("/api/save", r#"{"name":"../../escape"}"#);
    if status == 200 {
        assert!(body.contains("escape.yaml"), "{body}");
        assert!(dir.path().join("escape.yaml").is_file());
    } else {
        assert_eq!(status, 409, "{body}"); // the model has not compiled yet
    }
    assert!(!dir.path().parent().unwrap().join("escape.yaml").exists());

    // Changes in a burst: the running one is cancelled or superseded, the latest is shown.
    let mut last = 0;
    for n in 4..=8 {
        let (status, body) = post(
            "/api/scenario",
            &format!(r#"{{"values":{{"Менеджер.штат":{n}}}}}"#),
        );
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        last = v["generation"].as_u64().unwrap();
    }
    let start = Instant::now();
    let view = loop {
        let (status, body) = get(addr, addr, &format!("/api/view?since=0&t={t}"));
        assert_eq!(status, 200);
        let v: Value = serde_json::from_str(&body).unwrap();
        if v["view"]["shown"].as_u64().unwrap() >= last && v["view"]["busy"] == json!(false) {
            break v["view"].clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the latest change is shown"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        view["yaml"].as_str().unwrap().contains("штат: 8"),
        "{}",
        view["yaml"]
    );
}

// ─── The browser ──────────────────────────────────────────────────────────────

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("VORONKA_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Chromium, or `None` (with a message) when the browser tests are skipped.
fn browser_or_skip() -> Option<PathBuf> {
    if std::env::var("VORONKA_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("serve: browser tests SKIPPED (VORONKA_SKIP_BROWSER=1)");
        return None;
    }
    Some(chromium().expect(
        "headless Chromium is needed for the browser tests of `voronka serve`: install it (apt-get install chromium; .ci/run does) or set VORONKA_SKIP_BROWSER=1 to skip them",
    ))
}

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>;

/// Headless Chromium with one page, spoken to over the DevTools protocol.
struct Browser {
    child: Child,
    ws: Socket,
    session: String,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Chromium with one page open at `url`.
    fn start(exe: &Path, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--remote-debugging-port=0",
                "--window-size=1400,1000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(i) = line.find("ws://") {
                    let _ = tx.send(line[i..].trim().to_owned());
                }
            }
        });
        let ws_url = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("Chromium prints its DevTools address");
        let (ws, _) = tungstenite::connect(ws_url.as_str()).expect("DevTools WebSocket");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        }
        let mut b = Browser {
            child,
            ws,
            session: String::new(),
            next: 0,
            _profile: profile,
        };
        let target = b.call("Target.createTarget", json!({"url": url}));
        let target = target["targetId"].as_str().unwrap().to_owned();
        let attached = b.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_owned();
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
        );
        b
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.ws.send(tungstenite::Message::text(msg.to_string())).unwrap();
        loop {
            let m = self.ws.read().expect("a DevTools message");
            let Ok(text) = m.into_text() else { continue };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"].as_u64() == Some(id) {
                assert!(v["error"].is_null(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }

    /// The value of a JavaScript expression (promises awaited).
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            r["exceptionDetails"].is_null(),
            "{expr}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// [`Browser::eval`], `None` while the page has no context to evaluate in (loading).
    fn try_eval(&mut self, expr: &str) -> Option<Value> {
        self.next += 1;
        let id = self.next;
        let msg = json!({"id": id, "method": "Runtime.evaluate", "sessionId": self.session,
            "params": {"expression": expr, "returnByValue": true, "awaitPromise": true}});
        self.ws.send(tungstenite::Message::text(msg.to_string())).unwrap();
        loop {
            let text = self
                .ws
                .read()
                .expect("a DevTools message")
                .into_text()
                .unwrap_or_default();
            let v: Value = serde_json::from_str(&text).unwrap_or_default();
            if v["id"].as_u64() == Some(id) {
                return (v["error"].is_null() && v["result"]["exceptionDetails"].is_null())
                    .then(|| v["result"]["result"]["value"].clone());
            }
        }
    }

    /// Waits until `expr` is true.
    fn wait(&mut self, expr: &str, what: &str, timeout: Duration) {
        let start = Instant::now();
        while self.try_eval(&format!("!!({expr})")) != Some(json!(true)) {
            if start.elapsed() > timeout {
                let state = self.eval(
                    "JSON.stringify({href: location.href, body: document.body && document.body.innerText.slice(0, 600), busy: window.voronka && window.voronka.view && window.voronka.view.busy})",
                );
                self.screenshot("timeout.png");
                panic!("timed out waiting for {what}: {state}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses a key on the focused element, as a user does on a slider.
    fn key(&mut self, key: &str, code: u32) {
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}),
            );
        }
    }

    fn screenshot(&mut self, name: &str) -> PathBuf {
        self.eval("window.scrollTo(0, 0)");
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64_decode(r["data"].as_str().unwrap());
        let path = screens().join(name);
        std::fs::write(&path, png).unwrap();
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (the screenshot), without a dependency for it.
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, c)| acc | (u32::from(val(*c)) << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

/// The page is drawn and idle.
const READY: &str = "window.voronka && window.voronka.view && !window.voronka.view.busy && window.voronka.view.controls.length > 0";

/// Focuses the slider of a control.
fn focus(b: &mut Browser, id: &str) {
    let found = b.eval(&format!(
        "(() => {{ const id = {}; const e = [...document.querySelectorAll('input[data-id]')].find(x => x.dataset.id === id); if (!e) return false; e.scrollIntoView(); e.focus(); return document.activeElement === e; }})()",
        serde_json::to_string(id).unwrap()
    ));
    assert_eq!(found, json!(true), "slider {id}");
}

/// Moves a slider one step right and waits for the redraw; returns the latency the page measured.
fn step_right(b: &mut Browser, id: &str) -> f64 {
    let before = b.eval("window.voronka.latencies.length").as_u64().unwrap();
    focus(b, id);
    b.key("ArrowRight", 39);
    b.wait(
        &format!("window.voronka.latencies.length > {before}"),
        "the redraw after a change",
        Duration::from_secs(120),
    );
    b.eval(&format!("window.voronka.latencies[{before}]"))
        .as_f64()
        .unwrap()
}

/// The shown figure `key` (`revenue`, `plan`) as the card's `data-value`.
fn shown(b: &mut Browser, key: &str) -> f64 {
    let v = b.eval(&format!("document.querySelector('[data-k={key}]').dataset.value"));
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn browser_what_if_matches_simulate_and_follows_the_file() {
    let Some(exe) = browser_or_skip() else { return };
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agency.sales");
    std::fs::copy("examples/agency.sales", &file).unwrap();
    let (runs, seed) = (300, 7);
    let server = Server::start(&file, runs, seed);
    let mut b = Browser::start(&exe, &server.url);
    b.wait(READY, "the first forecast", Duration::from_secs(120));
    assert_eq!(b.eval("document.documentElement.lang"), json!("ru"));
    let title = b.eval("document.getElementById('title').textContent");
    assert_eq!(title, json!("ООО «Пиксель и Код»"));
    b.screenshot("agency-baseline.png");
    let base_revenue = shown(&mut b, "revenue");

    // Two more managers, with the keyboard on the slider…
    step_right(&mut b, "Менеджер.штат");
    step_right(&mut b, "Менеджер.штат");
    b.wait(READY, "the scenario", Duration::from_secs(120));
    let value = b.eval("document.querySelector('[data-id=\"Менеджер.штат\"] .control-value').textContent");
    assert_eq!(value, json!("5\u{a0}чел."));
    // …who join from the third month.
    step_right(&mut b, "Менеджер.найм");
    step_right(&mut b, "Менеджер.найм");
    b.wait(READY, "the hire", Duration::from_secs(120));
    let month = b.eval("document.querySelector('[data-id=\"Менеджер.найм\"] .control-value').textContent");
    assert_eq!(month, json!("с 3-го мес."));
    let revenue = shown(&mut b, "revenue");
    let plan = shown(&mut b, "plan");
    assert_ne!(revenue, base_revenue);
    let delta = b.eval("document.querySelector('[data-k=\"revenue-delta\"]').textContent");
    assert!(delta.as_str().unwrap().contains('±'), "{delta}");
    b.eval("document.getElementById('name').value = 'Найм двух'");
    b.eval("document.getElementById('save').click()");
    let saved = dir.path().join("Найм_двух.yaml");
    let start = Instant::now();
    while !saved.is_file() {
        assert!(start.elapsed() < Duration::from_secs(30), "the scenario is saved");
        std::thread::sleep(Duration::from_millis(50));
    }
    b.wait(READY, "the named scenario", Duration::from_secs(120));
    b.screenshot("agency-two-more-managers.png");
    let yaml = std::fs::read_to_string(&saved).unwrap();
    assert!(yaml.contains("\"Менеджер\": { найм: \"2 с 3 мес\" }"), "{yaml}");

    // The same numbers from the command line, for the file the page saved.
    let out = Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args([
            "simulate",
            &file.to_string_lossy(),
            "--scenario",
            &saved.to_string_lossy(),
        ])
        .args([
            "--runs",
            &runs.to_string(),
            "--seed",
            &seed.to_string(),
            "--format",
            "json",
            "-q",
            "--no-hires",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let scenario = &cli["scenarios"][0];
    assert_eq!(scenario["name"], json!("Найм двух"));
    assert_eq!(scenario["revenue"]["mean"].as_f64().unwrap(), revenue);
    assert_eq!(scenario["plan_probability"].as_f64().unwrap(), plan);
    assert_eq!(cli["revenue"]["mean"].as_f64().unwrap(), base_revenue);
    // The shown text is the report's rounding of that number.
    let text = b.eval("document.querySelector('[data-k=revenue]').textContent");
    assert!(text.as_str().unwrap().ends_with("\u{a0}₽"), "{text}");

    // The report of the current scenario downloads.
    let report = b.eval("fetch('/api/report.html').then(r => r.text())");
    assert!(report.as_str().unwrap().contains("Найм двух"));

    // The file changes on disk: the page reloads the model.
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("лиды 90 в мес"));
    std::fs::write(&file, text.replace("лиды 90 в мес", "лиды 150 в мес")).unwrap();
    b.wait(
        &format!("window.voronka.view.numbers.base_revenue !== {base_revenue} && !window.voronka.view.busy"),
        "the reloaded model",
        Duration::from_secs(120),
    );
    let leads = b.eval("window.voronka.view.controls.find(c => c.id === 'Сайт.лиды').base");
    assert_eq!(leads.as_f64(), Some(150.0));

    // An error: the diagnostics as `check` prints them, the last forecast greyed out.
    let broken = text.replace("лиды 90 в мес", "лиды 90 в мес; воронка Нет");
    std::fs::write(&file, &broken).unwrap();
    b.wait(
        "!document.getElementById('errors').hidden && document.getElementById('forecast').classList.contains('stale')",
        "the diagnostics",
        Duration::from_secs(60),
    );
    b.screenshot("agency-error.png");
    let shown_errors = b.eval("document.getElementById('diagnostics').textContent");
    let check = Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(["check", &file.to_string_lossy()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let check_text = String::from_utf8_lossy(&check.stderr);
    assert_eq!(shown_errors.as_str().unwrap().trim_end(), check_text.trim_end());
    assert!(b.eval("document.querySelector('[data-k=revenue]') !== null") == json!(true));
    std::fs::write(&file, &text).unwrap();
    b.wait(
        "document.getElementById('errors').hidden && !document.getElementById('forecast').classList.contains('stale')",
        "the fixed file",
        Duration::from_secs(120),
    );

    // Reset: back to the regulation's values.
    b.eval("document.getElementById('reset').click()");
    b.wait(
        &format!("{READY} && window.voronka.view.yaml.indexOf('роли') < 0"),
        "the reset",
        Duration::from_secs(120),
    );
    assert_eq!(shown(&mut b, "revenue"), base_revenue);
}

#[test]
fn browser_latency_on_the_benchmark() {
    let Some(exe) = browser_or_skip() else { return };
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let server = Server::start(Path::new("examples/benchmark.sales"), 1000, 1);
    let mut b = Browser::start(&exe, &server.url);
    b.wait(READY, "the first forecast", Duration::from_secs(300));
    let mut times = Vec::new();
    for i in 0..7 {
        let id = if i % 2 == 0 {
            "Хантер.штат"
        } else {
            "Клоузер.штат"
        };
        times.push(step_right(&mut b, id));
        b.wait(READY, "idle", Duration::from_secs(120));
    }
    b.screenshot("benchmark.png");
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let optimised = std::env::var_os("VORONKA_SERVE_BIN").is_some();
    let line = format!(
        "serve latency (change → redrawn charts), benchmark.sales, 1000 runs, {} binary: median {:.0} ms, all {:?}\n",
        if optimised { "given" } else { "test (debug)" },
        median,
        times.iter().map(|t| t.round()).collect::<Vec<_>>()
    );
    eprint!("{line}");
    std::fs::write(screens().join("latency.txt"), &line).unwrap();
    if optimised {
        assert!(median <= 500.0, "{line}");
    }
}
