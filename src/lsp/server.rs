//! The message loop: waits for `initialize`, negotiates the position encoding and language,
//! then answers requests and notifications one at a time until `exit`. A request the server
//! does not know gets `MethodNotFound`; bad parameters get `InvalidParams`; a handler that
//! panics is logged and answered with an error — the loop goes on.
//!
//! Each request is one small handler taking its typed parameters; adding one is an arm in
//! `Server::request` and a capability in [`capabilities`]. Formatting, for instance, formats
//! the open buffer with [`crate::fmt::format_text`] and answers one [`TextEdit`] over
//! [`LineIndex::whole`] of the old text (none when nothing changed or the file does not parse).

use super::completion;
use super::documents::uri_to_path;
use super::hover;
use super::log;
use super::outline;
use super::position::{Encoding, LineIndex};
use super::symbols;
use super::workspace::{Unit, Workspace};
use crate::diag::Lang;
use crate::model::Symbol;
use crate::source::FileId;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, References, Request as _,
    Shutdown,
};
use lsp_types::{
    CompletionParams, CompletionResponse, DocumentFormattingParams, DocumentSymbol, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, Location, MarkupContent, MarkupKind, OneOf,
    ReferenceParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
    TextEdit,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What the server offers.
pub fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![">".into()]),
            ..lsp_types::CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Serves one client. Returns the exit code.
///
/// Document notifications only mark the workspace dirty; it is recompiled (and diagnostics
/// published) once the burst of queued messages is read or before the next request, so fast
/// typing costs one compilation per pause, not one per keystroke.
pub fn serve(connection: &Connection, lang: Lang, options: crate::Options) -> i32 {
    let mut server: Option<Server> = None;
    let mut shutting_down = false;
    let mut dirty = false;
    loop {
        let message = match connection.receiver.try_recv() {
            Ok(m) => m,
            Err(e) if e.is_empty() => {
                if let Some(s) = server.as_mut().filter(|_| dirty) {
                    dirty = false;
                    s.publish(connection);
                }
                match connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                }
            }
            Err(_) => break,
        };
        match message {
            Message::Request(req) => {
                if let Some(s) = server.as_mut().filter(|_| dirty) {
                    dirty = false;
                    s.publish(connection);
                }
                let response = match server.as_mut() {
                    _ if shutting_down => error(
                        req.id,
                        ErrorCode::InvalidRequest,
                        "сервер завершает работу (shutdown)",
                    ),
                    None if req.method == "initialize" => {
                        let (s, result) = initialize(req.params, lang, options.clone());
                        server = Some(s);
                        Response::new_ok(req.id, result)
                    }
                    None => error(
                        req.id,
                        ErrorCode::ServerNotInitialized,
                        "сервер ещё не инициализирован (initialize)",
                    ),
                    Some(_) if req.method == Shutdown::METHOD => {
                        shutting_down = true;
                        Response::new_ok(req.id, ())
                    }
                    Some(s) => s.request(req),
                };
                send(connection, response.into());
            }
            Message::Notification(n) if n.method == "exit" => {
                return if shutting_down { 0 } else { 1 };
            }
            Message::Notification(n) => {
                if let Some(s) = server.as_mut().filter(|_| !shutting_down) {
                    dirty |= s.notification(n);
                }
            }
            Message::Response(_) => {}
        }
    }
    log("вход закрыт без exit");
    1
}

fn send(connection: &Connection, message: Message) {
    if connection.sender.send(message).is_err() {
        log("клиент отключился");
    }
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

/// Reads the client's capabilities and options; anything malformed falls back to defaults.
fn initialize(params: Value, lang: Lang, options: crate::Options) -> (Server, InitializeResult) {
    let lang = match params
        .pointer("/initializationOptions/lang")
        .and_then(Value::as_str)
    {
        Some("en") => Lang::En,
        Some("ru") => Lang::Ru,
        _ => lang,
    };
    let params: Option<InitializeParams> = serde_json::from_value(params)
        .inspect_err(|e| log(&format!("параметры initialize не разобраны: {e}")))
        .ok();
    let offered = params
        .as_ref()
        .and_then(|p| p.capabilities.general.as_ref())
        .and_then(|g| g.position_encodings.as_deref());
    let encoding = Encoding::negotiate(offered);
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "voronka".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let server = Server {
        workspace: Workspace::new(encoding, lang, options),
    };
    (server, result)
}

struct Server {
    workspace: Workspace,
}

fn parse<P: DeserializeOwned>(params: Value) -> Result<P, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

impl Server {
    fn request(&mut self, req: Request) -> Response {
        let Request { id, method, params } = req;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match method.as_str() {
                HoverRequest::METHOD => parse(params).map(|p| to_value(self.hover(p))),
                GotoDefinition::METHOD => parse(params).map(|p| to_value(self.definition(p))),
                References::METHOD => parse(params).map(|p| to_value(self.references(p))),
                Completion::METHOD => parse(params).map(|p| to_value(self.completion(p))),
                DocumentSymbolRequest::METHOD => parse(params).map(|p| to_value(self.outline(p))),
                Formatting::METHOD => parse(params).map(|p| to_value(self.formatting(p))),
                _ => return None,
            }
            .into()
        }));
        match result {
            Ok(Some(Ok(value))) => Response::new_ok(id, value),
            Ok(Some(Err(why))) => {
                log(&format!("{method}: неверные параметры: {why}"));
                error(id, ErrorCode::InvalidParams, &why)
            }
            Ok(None) => error(
                id,
                ErrorCode::MethodNotFound,
                &format!("неизвестный запрос {method}"),
            ),
            Err(_) => {
                log(&format!("{method}: внутренняя ошибка"));
                error(id, ErrorCode::InternalError, "внутренняя ошибка сервера")
            }
        }
    }

    /// Handles a notification; true when the documents changed.
    fn notification(&mut self, n: Notification) -> bool {
        let Notification { method, params } = n;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.document_event(&method, params)
        }));
        match result {
            Ok(Ok(changed)) => changed,
            Ok(Err(why)) => {
                log(&format!("{method}: неверные параметры: {why}"));
                false
            }
            Err(_) => {
                log(&format!("{method}: внутренняя ошибка"));
                false
            }
        }
    }

    /// Recompiles and sends the diagnostics.
    fn publish(&mut self, connection: &Connection) {
        let refreshed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.workspace.refresh()));
        match refreshed {
            Ok(list) => {
                for p in list {
                    send(
                        connection,
                        Notification::new(PublishDiagnostics::METHOD.into(), p).into(),
                    );
                }
            }
            Err(_) => log("проверка документов: внутренняя ошибка"),
        }
    }

    /// Applies a document notification; true when the diagnostics must be recomputed.
    fn document_event(&mut self, method: &str, params: Value) -> Result<bool, String> {
        let docs = &mut self.workspace.docs;
        match method {
            DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = parse(params)?;
                let d = p.text_document;
                docs.open(d.uri, d.text, d.version);
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = parse(params)?;
                let encoding = self.workspace.encoding;
                let uri = p.text_document.uri;
                let index = |text: &str| LineIndex::new(text, encoding);
                if !docs.change(&uri, p.text_document.version, p.content_changes, index) {
                    log(&format!("изменение неоткрытого документа {}", uri.as_str()));
                    return Ok(false);
                }
            }
            DidSaveTextDocument::METHOD => {
                // Included files that are not open are read from disk: a save may change them.
                let _: lsp_types::DidSaveTextDocumentParams = parse(params)?;
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = parse(params)?;
                docs.close(&p.text_document.uri);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The compilation, file and byte offset under a cursor.
    fn locate(&self, at: &TextDocumentPositionParams) -> Option<(&Unit, FileId, usize)> {
        let path = uri_to_path(&at.text_document.uri);
        let (unit, file) = self.workspace.unit_for(&path)?;
        Some((unit, file, unit.offset(file, at.position)))
    }

    fn symbol_at(&self, at: &TextDocumentPositionParams) -> Option<(&Unit, Symbol, lsp_types::Range)> {
        let (unit, file, offset) = self.locate(at)?;
        let (symbol, span) = symbols::at(&unit.compiled.names, file, offset)?;
        Some((unit, symbol, unit.range(span)?))
    }

    fn hover(&self, p: HoverParams) -> Option<Hover> {
        let (unit, symbol, range) = self.symbol_at(&p.text_document_position_params)?;
        let model = unit.compiled.model.as_ref()?;
        let text = hover::text(&symbol, model, unit.analysis(), self.workspace.lang)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(range),
        })
    }

    fn definition(&self, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let (unit, symbol, _) = self.symbol_at(&p.text_document_position_params)?;
        let span = symbols::definition(&unit.compiled.names, &symbol)?;
        Some(GotoDefinitionResponse::Scalar(
            self.workspace.location(unit, span)?,
        ))
    }

    fn references(&self, p: ReferenceParams) -> Option<Vec<Location>> {
        let (unit, symbol, _) = self.symbol_at(&p.text_document_position)?;
        let spans = symbols::references(&unit.compiled.names, &symbol, p.context.include_declaration);
        Some(
            spans
                .into_iter()
                .filter_map(|s| self.workspace.location(unit, s))
                .collect(),
        )
    }

    fn outline(&self, p: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let path = uri_to_path(&p.text_document.uri);
        let (unit, file) = self.workspace.unit_for(&path)?;
        let model = unit.compiled.model.as_ref()?;
        let entries = outline::entries(model, &unit.compiled.names, file);
        let symbols = entries.into_iter().map(|e| document_symbol(unit, e));
        Some(DocumentSymbolResponse::Nested(symbols.collect()))
    }

    /// The whole buffer in the canonical layout of `voronka fmt`: one edit, none when the
    /// text is already formatted, and no answer when it does not parse.
    fn formatting(&self, p: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
        let doc = self.workspace.docs.get(&p.text_document.uri)?;
        let formatted = crate::fmt::format_text(&doc.path, &doc.text).ok()?;
        if formatted == doc.text {
            return Some(Vec::new());
        }
        let range = LineIndex::new(&doc.text, self.workspace.encoding).whole(&doc.text);
        Some(vec![TextEdit::new(range, formatted)])
    }

    fn completion(&self, p: CompletionParams) -> Option<CompletionResponse> {
        let at = &p.text_document_position;
        let lang = self.workspace.lang;
        let trigger = p.context.as_ref().and_then(|c| c.trigger_character.as_deref());
        let items = match self.locate(at) {
            Some((unit, file, offset)) => {
                let text = &unit.compiled.sources.get(file).text;
                completion::items(text, offset, Some(&unit.compiled.names), lang, trigger)
            }
            None => {
                // A document the server has no compilation for: keywords still help.
                let doc = self.workspace.docs.get(&at.text_document.uri);
                let text = doc.map_or("", |d| d.text.as_str());
                let offset = LineIndex::new(text, self.workspace.encoding).offset(text, at.position);
                completion::items(text, offset, None, lang, trigger)
            }
        };
        Some(CompletionResponse::Array(items))
    }
}

fn document_symbol(unit: &Unit, e: outline::Entry) -> DocumentSymbol {
    #[allow(deprecated)] // a field of the struct, itself deprecated but still required
    DocumentSymbol {
        name: e.name,
        detail: e.title,
        kind: e.kind,
        tags: None,
        deprecated: None,
        range: unit.range(e.span).unwrap_or_default(),
        selection_range: unit.range(e.name_span).unwrap_or_default(),
        children: Some(e.children.into_iter().map(|c| document_symbol(unit, c)).collect()),
    }
}

fn to_value<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
