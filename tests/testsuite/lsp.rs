//! `workbook lsp`: the language server, driven over stdio as an editor drives it — Content-Length
//! framed JSON-RPC, every read with a timeout so that a hang fails the test instead of holding the run.

use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long any one message may take to arrive.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `workbook lsp` and the messages it has sent.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(cwd: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_workbook"))
            .arg("lsp")
            .current_dir(cwd)
            .env("SOURCE_DATE_EPOCH", "1780272000")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("workbook lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("every message has a Content-Length")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, messages, next_id: 1 }
    }

    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write header");
        self.stdin.write_all(body).expect("write body");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(body.to_string().as_bytes());
    }

    /// Sends a request and waits for its response, keeping nothing else it reads on the way.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(body.to_string().as_bytes());
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The next message that `wanted` accepts; panics after [`TIMEOUT`].
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(e) => panic!("no message in time from the language server: {e}"),
            }
        }
    }

    /// The next diagnostics published for `uri` at `version` of the document (`None`: a file that
    /// is not open). Diagnostics of an earlier version may still be on their way, and are passed by.
    fn diagnostics_for(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && m["params"].get("version").and_then(Value::as_i64) == version
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A file URI for `path`, as editors send it.
fn uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') { text } else { format!("/{text}") };
    format!("file://{}", text.replace(' ', "%20"))
}

fn position(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The base fixture with an evidence file, in a temporary folder (canonical, so URIs compare).
fn project() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical").join("my tool");
    copy_tree(&fixtures().join("base"), &root);
    std::fs::create_dir_all(root.join("evidence")).expect("evidence folder");
    std::fs::write(root.join("evidence/dpia.txt"), "DPIA summary\n").expect("evidence file");
    (dir, root)
}

const MISSPELT: &str = "---\nquestion: 1\nstatus: draft\nownr: Head of Data\nlast_reviewed: 2026-01-10\n\
next_review: 2099-01-10\nsummary: The tool compares placements.\nprompts:\n  \
q1-analytics-type: Descriptive analytics only.\n  q1-decision-process: Matching children to placements.\n  \
q1-users-and-affected: Social workers use it; children in care are affected.\n---\n\nThe tool is descriptive.\n";

#[test]
fn an_editor_gets_checks_diagnostics_hover_completion_and_definition_over_stdio() {
    let (_dir, root) = project();
    let answer = root.join("answers/01-describe-the-tool.md");
    let answer_uri = uri(&answer);
    let mut client = Client::start(&root);

    let init =
        client.request("initialize", json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}));
    let capabilities = &init["result"]["capabilities"];
    assert!(
        capabilities["hoverProvider"].as_bool().unwrap_or(false) || capabilities["hoverProvider"].is_object()
    );
    assert!(capabilities["completionProvider"].is_object(), "{init}");
    assert!(!capabilities["definitionProvider"].is_null(), "{init}");
    client.notify("initialized", json!({}));

    // A misspelt key, unsaved: the diagnostic is check's own (code, severity, position).
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": answer_uri, "languageId": "markdown", "version": 1, "text": MISSPELT}}),
    );
    let diagnostics = client.diagnostics_for(&answer_uri, Some(1));
    let unknown: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == "E002").collect();
    assert_eq!(unknown.len(), 1, "{diagnostics:?}");
    assert_eq!(unknown[0]["severity"], 1);
    assert_eq!(unknown[0]["source"], "workbook");
    assert_eq!(unknown[0]["range"]["start"], position(3, 0));
    assert_eq!(unknown[0]["range"]["end"], position(3, 4));
    assert!(unknown[0]["message"].as_str().unwrap_or("").contains("owner"), "did you mean: {unknown:?}");

    // Exactly `check`'s findings for this file: the same text saved and checked gives the same codes
    // at the same lines and columns.
    let on_disk = std::fs::read_to_string(&answer).expect("read answer");
    std::fs::write(&answer, MISSPELT).expect("save");
    let output = workbook().arg("check").arg("--format").arg("json").arg(&root).output().expect("check runs");
    std::fs::write(&answer, on_disk).expect("restore");
    let from_check: Vec<(String, u64, u64)> = diagnostics_json(&output.stdout)
        .iter()
        .filter(|d| d["file"] == "answers/01-describe-the-tool.md")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let from_server: Vec<(String, u64, u64)> = diagnostics
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            (
                d["code"].as_str().unwrap_or("").to_owned(),
                start["line"].as_u64().unwrap_or(0) + 1,
                start["character"].as_u64().unwrap_or(0) + 1,
            )
        })
        .collect();
    assert_eq!(from_server, from_check);

    // Fixed: the file's diagnostics are cleared with an empty list.
    let fixed = MISSPELT.replace("ownr:", "owner:");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": answer_uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics_for(&answer_uri, Some(2)), Vec::<Value>::new());

    // Hover on a prompt id: the prompt and its question, from the framework.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": answer_uri}, "position": position(8, 5)}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap_or("").to_owned();
    assert!(text.contains("the type of analytics it relies on"), "{hover}");
    assert!(text.contains("Describe the tool you will develop"), "{hover}");

    // Hover on `question: 1`: the question.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": answer_uri}, "position": position(1, 10)}),
    );
    assert!(
        hover["result"]["contents"]["value"].as_str().unwrap_or("").contains("Describe the tool"),
        "{hover}"
    );

    // Hover on a key: what it means, from the schema.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": answer_uri}, "position": position(3, 2)}),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("Who is responsible for the answer"),
        "{hover}"
    );

    // Completion of a prompt id: only those still unanswered.
    let typing = fixed.replace(
        "  q1-users-and-affected: Social workers use it; children in care are affected.\n",
        "  q1-\n",
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": answer_uri, "version": 3}, "contentChanges": [{"text": typing}]}),
    );
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": answer_uri}, "position": position(10, 5)}),
    );
    let offered = labels(&completion);
    assert!(offered.contains(&"q1-users-and-affected".to_owned()), "{completion}");
    assert!(!offered.contains(&"q1-analytics-type".to_owned()), "{completion}");

    // Completion of a key at the top level, and of an enum value.
    let with_new_key = fixed.replace("summary:", "vis\nsummary:");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": answer_uri, "version": 4}, "contentChanges": [{"text": with_new_key}]}),
    );
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": answer_uri}, "position": position(6, 3)}),
    );
    let offered = labels(&completion);
    assert!(offered.contains(&"visibility".to_owned()), "{completion}");
    assert!(
        !offered.contains(&"status".to_owned()),
        "a key already written is not offered again: {completion}"
    );
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": answer_uri}, "position": position(2, 8)}),
    );
    let offered = labels(&completion);
    for status in ["not-started", "draft", "in-review", "complete"] {
        assert!(offered.contains(&status.to_owned()), "{completion}");
    }

    // Evidence: `kind` values, file paths under evidence/, and go-to-definition to the file.
    let with_evidence = fixed.replace(
        "---\n\nThe tool",
        "evidence:\n  - title: DPIA\n    kind: \n    file: evidence/dpia.txt\n---\n\nThe tool",
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": answer_uri, "version": 5}, "contentChanges": [{"text": with_evidence}]}),
    );
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": answer_uri}, "position": position(13, 10)}),
    );
    assert!(labels(&completion).contains(&"dpia".to_owned()), "{completion}");
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": answer_uri}, "position": position(14, 10)}),
    );
    assert!(labels(&completion).contains(&"evidence/dpia.txt".to_owned()), "{completion}");
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": answer_uri}, "position": position(14, 14)}),
    );
    let target =
        definition["result"]["uri"].as_str().or(definition["result"][0]["uri"].as_str()).unwrap_or("");
    assert_eq!(target, uri(&root.join("evidence/dpia.txt")), "{definition}");

    // Nothing breaks it: malformed JSON, a document outside the project, a position past the end.
    client.send_raw(b"{ this is not json");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///elsewhere/notes.md", "languageId": "markdown", "version": 1, "text": "hello"}}),
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///elsewhere/notes.md"}, "position": position(0, 1)}),
    );
    assert!(hover["result"].is_null(), "{hover}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": answer_uri}, "position": position(900, 900)}),
    );
    assert!(hover["result"].is_null(), "{hover}");
    let unknown = client.request("workbook/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    // Closing an unsaved document: the file on disk is checked again, and has no errors.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": answer_uri, "version": 6}, "contentChanges": [{"text": MISSPELT}]}),
    );
    let again = client.diagnostics_for(&answer_uri, Some(6));
    assert!(again.iter().any(|d| d["code"] == "E002"), "{again:?}");
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": answer_uri}}));
    assert_eq!(client.diagnostics_for(&answer_uri, None), Vec::<Value>::new());

    let shutdown = client.request("shutdown", Value::Null);
    assert!(shutdown["result"].is_null() && shutdown.get("error").is_none(), "{shutdown}");
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = client.child.try_wait().expect("wait") {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn labels(completion: &Value) -> Vec<String> {
    let items = completion["result"]["items"].as_array().or(completion["result"].as_array());
    items.into_iter().flatten().filter_map(|i| i["label"].as_str().map(str::to_owned)).collect()
}

/// The hostile fixture's and every broken project's answers and settings, hovered and completed at
/// every line, mid-line and past the end: nothing panics.
#[test]
fn hover_and_completion_answer_anywhere_in_every_fixture_without_panicking() {
    use workbook::lsp::{completion, hover, schema, yaml};
    let framework = workbook::framework::Framework::builtin("dfe-csc-2024").expect("built in");
    let schemas = schema::Schemas::default();
    let evidence = vec![String::from("evidence/a.txt")];
    let mut files = Vec::new();
    let folders =
        |dir: std::path::PathBuf| std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path());
    // The hostile fixtures and the corpus of broken projects; the large well-formed fixtures add
    // time, not cases.
    let hostile = ["base", "hostile"].map(|name| fixtures().join(name));
    for project in hostile.into_iter().chain(folders(fixtures().join("invalid"))) {
        for (relative, path) in
            [("workbook.yaml".to_owned(), project.join("workbook.yaml"))].into_iter().chain(
                std::fs::read_dir(project.join("answers"))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| (format!("answers/{}", e.file_name().to_string_lossy()), e.path())),
            )
        {
            if let Ok(bytes) = std::fs::read(&path) {
                files.push((relative, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    assert!(files.len() > 80, "{}", files.len());
    let mut answered = 0;
    for (relative, text) in &files {
        let Some(kind) = yaml::kind_of(relative) else { continue };
        let context =
            completion::Context { framework: &framework, schemas: &schemas, evidence: &evidence, relative };
        let lines: Vec<&str> = text.split('\n').collect();
        for line in 0..lines.len() + 2 {
            let width = lines.get(line).map_or(0, |l| l.encode_utf16().count() as u32);
            for character in [width / 2, width + 3] {
                if let Some(cursor) = yaml::at(text, kind, line, character) {
                    answered += usize::from(hover::hover(&cursor, &framework, &schemas).is_some());
                }
                completion::complete(text, kind, line, character, &context);
            }
        }
    }
    assert!(answered > 100, "hover answered {answered} times");
}

/// Bytes that are not the protocol, and messages out of order, end in an exit code, never a panic
/// or a hang.
#[test]
fn junk_and_messages_out_of_order_end_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let streams = [
        String::new(),
        String::from("\r\n\r\n\r\nnot a header\r\n\r\n"),
        format!("Content-Length: 99999999999999999999\r\n\r\n{}", frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)),
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#),
        [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file:///no/such/place"}}"#),
            frame(r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"%%"}}}"#),
            frame(r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///x","version":1},"contentChanges":[]}}"#),
            frame(r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:1","languageId":"markdown","version":1,"text":"---\nq"}}}"#),
            frame(r#"{"jsonrpc":"2.0","id":3,"method":"textDocument/completion","params":{"textDocument":{"uri":"untitled:1"},"position":{"line":1,"character":1}}}"#),
            frame(r#"[1,2,3]"#),
            frame(r#"{"jsonrpc":"2.0","id":4,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{}}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat(),
    ];
    for (index, stream) in streams.iter().enumerate() {
        let mut output = Vec::new();
        let code =
            workbook::lsp::serve(std::io::Cursor::new(stream.clone().into_bytes()), &mut output, dir.path());
        let expected = if index == 4 { 0 } else { 1 };
        assert_eq!(code, expected, "stream {index}: {}", String::from_utf8_lossy(&output));
    }
}
