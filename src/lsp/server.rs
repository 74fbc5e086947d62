//! The server's state and its answer to each message: the open documents, the project they belong
//! to, and what was last published.

use super::{completion, definition, diagnostics, document, hover, log, schema, transport, yaml};
use crate::framework::Framework;
use crate::history::History;
use crate::load::tree::{OverlayTree, WorkingTree};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CompletionOptions, GotoDefinitionResponse, Hover, HoverContents, HoverProviderCapability,
    InitializeResult, MarkupContent, MarkupKind, OneOf, PositionEncodingKind, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An open document.
struct Document {
    text: String,
    version: i32,
    /// Its path in the project; `None` for a document outside it.
    relative: Option<String>,
}

/// One client's server: what it has been sent, and where it writes.
pub(super) struct Server<W: Write> {
    output: W,
    cwd: PathBuf,
    root: Option<PathBuf>,
    initialized: bool,
    pub(super) shut_down: bool,
    /// The open documents changed since diagnostics were last published.
    pub(super) stale: bool,
    /// Open documents by URI.
    documents: BTreeMap<String, Document>,
    /// What was last published for each file whose list was not empty.
    published: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
    history: Option<History>,
    framework: Framework,
    schemas: schema::Schemas,
}

impl<W: Write> Server<W> {
    pub(super) fn new(output: W, cwd: &Path) -> Server<W> {
        let framework = Framework::builtin(crate::init::DEFAULT_FRAMEWORK)
            .or_else(|| Framework::builtin_ids().next().and_then(Framework::builtin));
        Server {
            output,
            cwd: cwd.to_path_buf(),
            root: None,
            initialized: false,
            shut_down: false,
            stale: false,
            documents: BTreeMap::new(),
            published: BTreeMap::new(),
            history: None,
            framework: framework.unwrap_or_else(|| unreachable!("the binary embeds a framework")),
            schemas: schema::Schemas::default(),
        }
    }

    fn send(&mut self, message: Message) {
        if let Err(e) = transport::write(&mut self.output, message) {
            log(&format!("cannot write to the client: {e}"));
        }
    }

    pub(super) fn respond(&mut self, response: Response) {
        self.send(Message::Response(response));
    }

    pub(super) fn handle(&mut self, message: Message) {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => {} // the server sends no requests
        }
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if method == "initialize" {
            self.initialize(&params);
            let result = InitializeResult { capabilities: capabilities(), server_info: Some(server_info()) };
            return self.respond(ok(id, result));
        }
        if !self.initialized {
            return self.respond(error(id, ErrorCode::ServerNotInitialized, "initialize first"));
        }
        if self.shut_down {
            return self.respond(error(id, ErrorCode::InvalidRequest, "the server is shut down"));
        }
        let response = match method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                ok(id, Value::Null)
            }
            "textDocument/hover" => match serde_json::from_value::<lsp_types::HoverParams>(params) {
                Ok(p) => ok(id, self.hover(&p.text_document_position_params)),
                Err(e) => invalid(id, &e),
            },
            "textDocument/completion" => {
                match serde_json::from_value::<lsp_types::CompletionParams>(params) {
                    Ok(p) => ok(id, self.completion(&p.text_document_position)),
                    Err(e) => invalid(id, &e),
                }
            }
            "textDocument/definition" => {
                match serde_json::from_value::<lsp_types::GotoDefinitionParams>(params) {
                    Ok(p) => ok(id, self.definition(&p.text_document_position_params)),
                    Err(e) => invalid(id, &e),
                }
            }
            _ => error(id, ErrorCode::MethodNotFound, &format!("no method `{method}`")),
        };
        self.respond(response);
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match method.as_str() {
            "initialized" | "exit" | "$/cancelRequest" | "$/setTrace" => {}
            "textDocument/didOpen" => {
                match serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params) {
                    Ok(p) => {
                        let uri = p.text_document.uri.as_str().to_owned();
                        let relative = self.relative(&uri);
                        let document = Document {
                            text: p.text_document.text,
                            version: p.text_document.version,
                            relative,
                        };
                        let in_project = document.relative.is_some();
                        self.documents.insert(uri, document);
                        if in_project {
                            self.stale = true;
                        }
                    }
                    Err(e) => log(&format!("didOpen: {e}")),
                }
            }
            "textDocument/didChange" => {
                match serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params) {
                    Ok(p) => {
                        let uri = p.text_document.uri.as_str();
                        let Some(document) = self.documents.get_mut(uri) else {
                            return log(&format!("didChange for a document that is not open: {uri}"));
                        };
                        for change in p.content_changes {
                            document::apply_change(&mut document.text, change);
                        }
                        document.version = p.text_document.version;
                        if document.relative.is_some() {
                            self.stale = true;
                        }
                    }
                    Err(e) => log(&format!("didChange: {e}")),
                }
            }
            "textDocument/didClose" => {
                match serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params) {
                    Ok(p) => {
                        if self
                            .documents
                            .remove(p.text_document.uri.as_str())
                            .is_some_and(|d| d.relative.is_some())
                        {
                            self.stale = true;
                        }
                    }
                    Err(e) => log(&format!("didClose: {e}")),
                }
            }
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => {
                // A save may follow a commit: the history (sign-offs, the change log) is read again.
                self.history = None;
                if self.documents.values().any(|d| d.relative.is_some()) {
                    self.stale = true;
                }
            }
            _ => {}
        }
    }

    fn initialize(&mut self, params: &Value) {
        self.initialized = true;
        let folder = params
            .pointer("/workspaceFolders/0/uri")
            .or_else(|| params.get("rootUri"))
            .and_then(Value::as_str)
            .and_then(document::uri_to_path)
            .or_else(|| params.get("rootPath").and_then(Value::as_str).map(PathBuf::from))
            .unwrap_or_else(|| self.cwd.clone());
        // An editor opened on `answers/` still serves the project that holds it.
        let project =
            folder.ancestors().find(|dir| dir.join(crate::load::SETTINGS_FILE).is_file()).unwrap_or(&folder);
        self.root = project.canonicalize().ok();
        log(&format!("serving {}", self.root.as_deref().unwrap_or(project).display()));
    }

    /// The path of `uri` in the project; a document in another project with settings of its own
    /// moves the server there when the current root has none.
    fn relative(&mut self, uri: &str) -> Option<String> {
        let path = document::uri_to_path(uri)?;
        let has_settings = |dir: &Path| dir.join(crate::load::SETTINGS_FILE).is_file();
        if let Some(root) = self.root.as_deref().filter(|r| has_settings(r)) {
            if let Some(relative) = document::relative_to(root, &path) {
                return Some(relative);
            }
            log(&format!("{uri} is outside the project; it is not checked"));
            return None;
        }
        // No project yet (the editor opened a folder above it, or none): the file's own, if any. A
        // Markdown file in no project is not checked, so the server can be on for all Markdown.
        let Some(project) = path.ancestors().skip(1).find(|dir| has_settings(dir)) else {
            log(&format!("{uri} is in no project (no workbook.yaml above it); it is not checked"));
            return None;
        };
        self.root = project.canonicalize().ok();
        log(&format!("serving {}", project.display()));
        self.root.as_deref().and_then(|root| document::relative_to(root, &path))
    }

    /// Loads and checks the project with the open documents over it, and publishes every file's
    /// diagnostics, an empty list for a file whose diagnostics are gone.
    pub(super) fn publish(&mut self) {
        let Some(root) = self.root.clone() else { return };
        let open: BTreeMap<String, Vec<u8>> = self
            .documents
            .values()
            .filter_map(|d| Some((d.relative.clone()?, d.text.clone().into_bytes())))
            .collect();
        let tree = OverlayTree::new(WorkingTree::new(&root), open);
        let workbook = crate::load::load_from(&root, Arc::new(tree));
        if let Some(framework) = &workbook.framework {
            self.framework = framework.clone();
        }
        let history = self.history.get_or_insert_with(|| History::read(&root).0);
        let found = crate::check::check_with_history(&workbook, history, crate::progress::today());
        let documents = &self.documents;
        let text_of = |file: &str| {
            documents
                .values()
                .find(|d| d.relative.as_deref() == Some(file))
                .map(|d| d.text.clone())
                .or_else(|| std::fs::read_to_string(root.join(file)).ok())
        };
        let by_file = diagnostics::by_file(&found, &text_of);
        let gone: Vec<String> =
            self.published.keys().filter(|f| !by_file.contains_key(*f)).cloned().collect();
        let mut notices = Vec::new();
        for (file, list) in by_file
            .iter()
            .map(|(f, l)| (f.clone(), l.clone()))
            .chain(gone.into_iter().map(|f| (f, Vec::new())))
        {
            // An open document is answered at the URI the editor gave it, with its version.
            let open = self.documents.iter().find(|(_, d)| d.relative.as_deref() == Some(file.as_str()));
            let version = open.map(|(_, d)| d.version);
            // A file that is not open and whose findings have not changed is not sent again.
            if version.is_none() && self.published.get(&file) == Some(&list) {
                continue;
            }
            let uri = open.map_or_else(|| diagnostics::file_uri(&root, &file), |(uri, _)| uri.clone());
            let Ok(parsed) = uri.parse::<lsp_types::Uri>() else { continue };
            let params = lsp_types::PublishDiagnosticsParams::new(parsed, list, version);
            notices.push(Notification::new("textDocument/publishDiagnostics".into(), params));
        }
        self.published = by_file;
        for notice in notices {
            self.send(Message::Notification(notice));
        }
    }

    /// The open document at a position's URI, with its kind and path, when it is a project file the
    /// tool reads as YAML.
    fn document(&self, uri: &str) -> Option<(&Document, schema::Kind, &str)> {
        let document = self.documents.get(uri)?;
        let relative = document.relative.as_deref()?;
        Some((document, yaml::kind_of(relative)?, relative))
    }

    fn hover(&self, at: &lsp_types::TextDocumentPositionParams) -> Option<Hover> {
        let (document, kind, _) = self.document(at.text_document.uri.as_str())?;
        let cursor = yaml::at(&document.text, kind, at.position.line as usize, at.position.character)?;
        let value = hover::hover(&cursor, &self.framework, &self.schemas)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
            range: None,
        })
    }

    fn completion(
        &self,
        at: &lsp_types::TextDocumentPositionParams,
    ) -> Option<Vec<lsp_types::CompletionItem>> {
        let (document, kind, relative) = self.document(at.text_document.uri.as_str())?;
        let evidence = self.evidence_files();
        let context = completion::Context {
            framework: &self.framework,
            schemas: &self.schemas,
            evidence: &evidence,
            relative,
        };
        let line = at.position.line as usize;
        Some(completion::complete(&document.text, kind, line, at.position.character, &context))
    }

    /// The project's files under `evidence/`, read through the tree as `check` reads them.
    fn evidence_files(&self) -> Vec<String> {
        use crate::load::tree::{Entry, Tree};
        let Some(root) = &self.root else { return Vec::new() };
        WorkingTree::new(root)
            .walk(crate::load::EVIDENCE_DIR)
            .into_iter()
            .filter(|(_, entry)| matches!(entry, Entry::File(_)))
            .map(|(path, _)| path)
            .collect()
    }

    fn definition(&self, at: &lsp_types::TextDocumentPositionParams) -> Option<GotoDefinitionResponse> {
        let (document, kind, _) = self.document(at.text_document.uri.as_str())?;
        let cursor = yaml::at(&document.text, kind, at.position.line as usize, at.position.character)?;
        let file = definition::target(&cursor, self.root.as_deref()?)?;
        let uri = document::path_to_uri(&file).parse::<lsp_types::Uri>().ok()?;
        Some(GotoDefinitionResponse::Scalar(lsp_types::Location { uri, range: lsp_types::Range::default() }))
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", " ", "/", "-"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

fn server_info() -> ServerInfo {
    ServerInfo { name: String::from("workbook"), version: Some(String::from(env!("CARGO_PKG_VERSION"))) }
}

fn ok(id: RequestId, result: impl serde::Serialize) -> Response {
    match serde_json::to_value(result) {
        Ok(value) => Response { id, response_result: Ok(value) },
        Err(e) => error(id, ErrorCode::InternalError, &e.to_string()),
    }
}

pub(super) fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_owned())
}

fn invalid(id: RequestId, e: &serde_json::Error) -> Response {
    log(&format!("invalid parameters: {e}"));
    error(id, ErrorCode::InvalidParams, &e.to_string())
}
