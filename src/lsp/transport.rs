//! The LSP base protocol over stdio: `Content-Length` framing, read on one thread and written on
//! another, feeding [`lsp_server::Connection`] channels. Unlike `Connection::stdio`, a broken
//! message (bad JSON, a bad header, a length over the limit) is logged and skipped: the server
//! stays up for the next one. Only the end of input or a failed write stops the threads.

use super::log;
use lsp_server::{Connection, Message};
use std::io::{BufRead, Read, Write};
use std::thread::JoinHandle;

/// The largest message body accepted: a document at the compiler's size limit, JSON-escaped.
const MAX_BODY: usize = 4 * crate::load::MAX_FILE_BYTES;

/// Threads that move messages between stdio and the server's connection.
pub struct Transport {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Transport {
    /// Waits for the writer to flush everything the server sent. The reader is not joined: it
    /// may be blocked on stdin, which a client keeps open after `exit`.
    pub fn finish(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

/// The server's end of a connection wired to stdin and stdout.
pub fn stdio() -> (Connection, Transport) {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_message(&mut input) {
                Ok(Some(message)) => {
                    let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                    if sender.send(message).is_err() || is_exit {
                        break;
                    }
                }
                Ok(None) => break,
                Err(Skip(why)) => log(&format!("сообщение пропущено: {why}")),
            }
        }
    });
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for message in receiver {
            if let Err(e) = message.write(&mut out).and_then(|()| out.flush()) {
                log(&format!("не удалось отправить сообщение: {e}"));
                break;
            }
        }
    });
    (server, Transport { reader, writer })
}

/// Why a message was skipped.
#[derive(Debug, PartialEq, Eq)]
pub struct Skip(pub String);

/// Reads one framed message. `Ok(None)` at the end of input (or when it breaks off mid-message);
/// `Err` for a message that arrived whole but cannot be used — the stream is positioned after
/// it, so reading can go on.
pub fn read_message(input: &mut impl BufRead) -> Result<Option<Message>, Skip> {
    let mut length = None;
    let mut bad_header = None;
    let mut seen_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if seen_header {
                break;
            }
            // Blank lines between messages carry nothing.
            continue;
        }
        seen_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("неверный Content-Length: {value:?}")),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("неверный заголовок: {text:?}")),
        }
    }
    let Some(length) = length else {
        return Err(Skip(bad_header.unwrap_or_else(|| "нет Content-Length".into())));
    };
    if length > MAX_BODY {
        // Read past the body in small pieces rather than allocate it.
        let skipped = std::io::copy(&mut input.take(length as u64), &mut std::io::sink());
        return match skipped {
            Ok(n) if n == length as u64 => Err(Skip(format!("сообщение длиннее {MAX_BODY} байт"))),
            _ => Ok(None),
        };
    }
    let mut body = vec![0; length];
    if input.read_exact(&mut body).is_err() {
        return Ok(None);
    }
    if let Some(why) = bad_header {
        return Err(Skip(why));
    }
    serde_json::from_slice::<Message>(&body)
        .map(Some)
        .map_err(|e| Skip(format!("неверный JSON-RPC: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_broken_message_is_skipped_and_the_next_one_read() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let text = format!(
            "{}{}{}",
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0"}"#),
            frame(good)
        );
        let mut input = text.as_bytes();
        assert!(read_message(&mut input).unwrap_err().0.contains("JSON"));
        assert!(read_message(&mut input).is_err());
        let Ok(Some(Message::Notification(n))) = read_message(&mut input) else {
            panic!("the third message should be read");
        };
        assert_eq!(n.method, "initialized");
        assert!(matches!(read_message(&mut input), Ok(None)));
    }

    #[test]
    fn headers_are_case_insensitive_and_a_missing_length_is_skipped() {
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let text = format!(
            "X-Other: 1\r\n\r\ncontent-length: {}\r\nContent-Type: x\r\n\r\n{body}",
            body.len()
        );
        let mut input = text.as_bytes();
        assert_eq!(
            read_message(&mut input).unwrap_err(),
            Skip("нет Content-Length".into())
        );
        assert!(matches!(
            read_message(&mut input),
            Ok(Some(Message::Notification(_)))
        ));
    }

    #[test]
    fn a_huge_length_is_not_allocated() {
        let text = format!("Content-Length: {}\r\n\r\nshort", usize::MAX);
        let mut input = text.as_bytes();
        assert!(matches!(read_message(&mut input), Ok(None)));
    }

    #[test]
    fn a_message_cut_short_ends_the_input() {
        let mut input = "Content-Length: 100\r\n\r\n{}".as_bytes();
        assert!(matches!(read_message(&mut input), Ok(None)));
    }
}
