//! JSON-RPC over standard input and output, framed by `Content-Length` headers.
//!
//! lsp-server's own stdio transport ends its reader at the first malformed message, which
//! would leave the server deaf until killed; this reader answers a payload that is not JSON
//! with a parse error (a JSON message that is not JSON-RPC with an invalid-request error) and
//! reads on. Messages are lsp-server's `Message`, written with its own framing.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use lsp_server::{ErrorCode, Message};

/// A larger message is skipped unread (with an error): a 50 MB document is far below it, and
/// no header can make the server allocate more.
pub const MAX_MESSAGE: usize = 256 << 20;

/// How many messages wait for the main loop: enough for a burst of edits to be coalesced, few
/// enough that a client flooding the server is slowed down (memory stays bounded).
const QUEUE: usize = 256;

/// Start the reader thread. The channel closes at the end of input.
pub fn stdin_reader() -> Receiver<Message> {
    let (tx, rx) = sync_channel(QUEUE);
    std::thread::Builder::new()
        .name("spslint-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            read_loop(&mut stdin.lock(), &tx, &mut |e| {
                let _ = write_raw(&mut io::stdout().lock(), &e);
            });
        })
        .expect("a thread can be started");
    rx
}

/// Read messages until the end of input, handing errors for the client to `reply`.
pub fn read_loop(
    input: &mut impl BufRead,
    tx: &SyncSender<Message>,
    reply: &mut dyn FnMut(serde_json::Value),
) {
    loop {
        let payload = match read_frame(input) {
            Ok(Some(Frame::Payload(p))) => p,
            Ok(Some(Frame::TooLarge(n))) => {
                reply(error(
                    serde_json::Value::Null,
                    ErrorCode::InvalidRequest,
                    &format!("message of {n} bytes refused (the limit is {MAX_MESSAGE})"),
                ));
                continue;
            }
            Ok(Some(Frame::BadHeader)) => {
                reply(error(
                    serde_json::Value::Null,
                    ErrorCode::ParseError,
                    "malformed header: expected Content-Length",
                ));
                continue;
            }
            Ok(None) | Err(_) => return,
        };
        match serde_json::from_slice::<Message>(&payload) {
            Ok(m) => {
                let exit = matches!(&m, Message::Notification(n) if n.method == "exit");
                if tx.send(m).is_err() || exit {
                    return;
                }
            }
            Err(_) => {
                let (id, code, what) = match serde_json::from_slice::<serde_json::Value>(&payload) {
                    Ok(v) => (
                        v.get("id").cloned().unwrap_or(serde_json::Value::Null),
                        ErrorCode::InvalidRequest,
                        "not a JSON-RPC request, response or notification",
                    ),
                    Err(_) => (
                        serde_json::Value::Null,
                        ErrorCode::ParseError,
                        "the message is not JSON",
                    ),
                };
                reply(error(id, code, what));
            }
        }
    }
}

enum Frame {
    Payload(Vec<u8>),
    TooLarge(usize),
    BadHeader,
}

/// One framed message: headers up to an empty line, then `Content-Length` bytes.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut bad = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        // A header line is short; one without an end in 4 KiB is not a header.
        let n = input.by_ref().take(4096).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_some() || bad {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad = true,
                }
            }
            Some(_) => {}
            None => bad = true,
        }
    }
    let Some(length) = length.filter(|_| !bad) else {
        return Ok(Some(Frame::BadHeader));
    };
    if length > MAX_MESSAGE {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(Frame::TooLarge(length)));
    }
    let mut payload = vec![0; length];
    input.read_exact(&mut payload)?;
    Ok(Some(Frame::Payload(payload)))
}

fn error(id: serde_json::Value, code: ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code as i32, "message": message},
    })
}

/// Write a raw JSON-RPC value, framed.
pub fn write_raw(out: &mut impl Write, value: &serde_json::Value) -> io::Result<()> {
    let text = value.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

/// Write a message to standard output. The lock keeps it whole against the reader thread's
/// error replies.
pub fn send(message: Message) -> io::Result<()> {
    message.write(&mut io::stdout().lock())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"id": 7, "foo": 1}"#),
            "Garbage-Without-Colon\r\n\r\n".to_string(),
            format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE + 1),
            frame(r#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#),
        ]
        .concat();
        let (tx, rx) = sync_channel(8);
        let mut errors = Vec::new();
        // The oversized frame claims more bytes than there are: it swallows the rest.
        let mut cursor = io::Cursor::new(input.into_bytes());
        read_loop(&mut cursor, &tx, &mut |e| errors.push(e));
        let codes: Vec<i64> = errors
            .iter()
            .map(|e| e["error"]["code"].as_i64().unwrap())
            .collect();
        assert_eq!(codes, [-32700, -32600, -32700, -32600]);
        assert_eq!(errors[1]["id"], 7);
        assert!(rx.try_recv().is_err());

        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#),
        ]
        .concat();
        let mut cursor = io::Cursor::new(input.into_bytes());
        read_loop(&mut cursor, &tx, &mut |_| {});
        assert!(matches!(rx.try_recv(), Ok(Message::Notification(n)) if n.method == "initialized"));
    }
}
