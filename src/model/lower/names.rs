//! Names: declaring every definition first (so order does not matter), resolving references
//! with «возможно, имелось в виду …», and scopes (`Воронка.Этап`, a role, the department).

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum NameSpace {
    Role,
    Channel,
    Pipeline,
    Kpi,
    Reason,
    Checklist,
    Report,
    Control,
    Interaction,
    Document,
    Meeting,
    Resource,
    Card,
}

pub(super) fn symbol(ns: NameSpace, name: &str) -> Symbol {
    let name = name.to_string();
    match ns {
        NameSpace::Role => Symbol::Role(name),
        NameSpace::Channel => Symbol::Channel(name),
        NameSpace::Pipeline => Symbol::Pipeline(name),
        NameSpace::Kpi => Symbol::Kpi(name),
        NameSpace::Reason => Symbol::Reason(name),
        NameSpace::Checklist => Symbol::Checklist(name),
        NameSpace::Report => Symbol::Report(name),
        NameSpace::Control => Symbol::Control(name),
        NameSpace::Interaction => Symbol::Interaction(name),
        NameSpace::Document => Symbol::Document(name),
        NameSpace::Meeting => Symbol::Meeting(name),
        NameSpace::Resource => Symbol::Resource(name),
        NameSpace::Card => Symbol::Card(name),
    }
}

pub(super) fn entity(ns: NameSpace) -> Entity {
    match ns {
        NameSpace::Role => Entity::Role,
        NameSpace::Channel => Entity::Channel,
        NameSpace::Pipeline => Entity::Pipeline,
        NameSpace::Kpi => Entity::Kpi,
        NameSpace::Reason => Entity::Reason,
        NameSpace::Checklist => Entity::Checklist,
        NameSpace::Report => Entity::Report,
        NameSpace::Control => Entity::Control,
        NameSpace::Interaction => Entity::Interaction,
        NameSpace::Document => Entity::Document,
        NameSpace::Meeting => Entity::Meeting,
        NameSpace::Resource => Entity::Resource,
        NameSpace::Card => Entity::Card,
    }
}

impl Lowerer {
    pub(super) fn define(&mut self, ns: NameSpace, ident: &ast::Ident) {
        let key = (ns, ident.text.clone());
        if let Some(&first) = self.names.get(&key) {
            self.diags.push(
                Diagnostic::new(
                    Kind::Duplicate {
                        entity: entity(ns),
                        name: ident.text.clone(),
                    },
                    ident.span,
                )
                .with_label(first, Msg::new("впервые определено здесь", "first defined here")),
            );
        } else {
            self.names.insert(key, ident.span);
            self.index.definitions.push((symbol(ns, &ident.text), ident.span));
        }
    }

    pub(super) fn declare(&mut self, items: &[&Stmt]) {
        for item in items {
            let ns = match item.key {
                Rule::role => NameSpace::Role,
                Rule::channel => NameSpace::Channel,
                Rule::pipeline => NameSpace::Pipeline,
                Rule::kpi => NameSpace::Kpi,
                Rule::reason => NameSpace::Reason,
                Rule::checklist => NameSpace::Checklist,
                Rule::report => NameSpace::Report,
                Rule::control => NameSpace::Control,
                Rule::interaction => NameSpace::Interaction,
                Rule::document => NameSpace::Document,
                Rule::meeting => NameSpace::Meeting,
                Rule::resource => NameSpace::Resource,
                Rule::card => NameSpace::Card,
                _ => continue,
            };
            if let Some(name) = first_ident(item) {
                self.define(ns, name);
            }
            if item.key == Rule::pipeline {
                let pname = first_ident(item).map(|i| i.text.clone()).unwrap_or_default();
                let mut seen: HashMap<String, Span> = HashMap::new();
                let mut names = Vec::new();
                for st in item.children.iter().filter(|c| c.key == Rule::stage) {
                    if let Some(n) = first_ident(st) {
                        if let Some(&first) = seen.get(&n.text) {
                            self.diags.push(
                                Diagnostic::new(
                                    Kind::Duplicate {
                                        entity: Entity::Stage,
                                        name: n.text.clone(),
                                    },
                                    n.span,
                                )
                                .with_label(
                                    first,
                                    Msg::new("впервые определено здесь", "first defined here"),
                                ),
                            );
                        } else {
                            seen.insert(n.text.clone(), n.span);
                            names.push(n.text.clone());
                            let stage = Symbol::Stage {
                                pipeline: pname.clone(),
                                stage: n.text.clone(),
                            };
                            self.index.definitions.push((stage, n.span));
                        }
                    }
                }
                if !self.stages.iter().any(|(p, _)| *p == pname) {
                    self.stages.push((pname, names));
                }
            }
        }
    }

    pub(super) fn declare_broken(&mut self, keyword: &str, name: &ast::Ident) {
        let ns = match keyword {
            "роль" | "role" => NameSpace::Role,
            "канал" | "channel" => NameSpace::Channel,
            "воронка" | "pipeline" => {
                self.broken_pipeline = true;
                NameSpace::Pipeline
            }
            "показатель" | "кпэ" | "kpi" => NameSpace::Kpi,
            "причина" | "reason" => NameSpace::Reason,
            "чек_лист" | "чек-лист" | "checklist" => NameSpace::Checklist,
            "отчёт" | "отчет" | "report" => NameSpace::Report,
            "контроль" | "control" => NameSpace::Control,
            "взаимодействие" | "interaction" => NameSpace::Interaction,
            "документ" | "инструкция" | "document" | "instruction" => NameSpace::Document,
            "совещание" | "meeting" => NameSpace::Meeting,
            "ресурс" | "resource" => NameSpace::Resource,
            "карточка" | "card" => NameSpace::Card,
            _ => return,
        };
        if let std::collections::hash_map::Entry::Vacant(e) = self.names.entry((ns, name.text.clone())) {
            e.insert(name.span);
            // An item being edited still has a place to go to.
            self.index.definitions.push((symbol(ns, &name.text), name.span));
        }
    }

    pub(super) fn candidates(&self, ns: NameSpace) -> Vec<String> {
        let mut v: Vec<String> = self
            .names
            .keys()
            .filter(|(n, _)| *n == ns)
            .map(|(_, s)| s.clone())
            .collect();
        v.sort();
        v
    }

    /// Resolves a reference; reports it when undefined. Returns the name either way.
    pub(super) fn reference(&mut self, ns: NameSpace, ident: &ast::Ident) -> String {
        if self.names.contains_key(&(ns, ident.text.clone())) {
            self.index.uses.push((symbol(ns, &ident.text), ident.span));
        } else {
            let cands = self.candidates(ns);
            let suggestion = suggest(&ident.text, cands.iter().map(String::as_str));
            self.err(
                Kind::Undefined {
                    entity: entity(ns),
                    name: ident.text.clone(),
                    suggestion,
                },
                ident.span,
            );
        }
        ident.text.clone()
    }

    pub(super) fn references(&mut self, ns: NameSpace, s: &Stmt) -> Vec<String> {
        idents(s).map(|i| self.reference(ns, i)).collect()
    }

    pub(super) fn stage_names(&self, pipeline: &str) -> Option<&Vec<String>> {
        self.stages.iter().find(|(p, _)| p == pipeline).map(|(_, s)| s)
    }

    /// Resolves `Этап`, `Воронка` or `Воронка.Этап`, preferring stages of `current`.
    pub(super) fn scope(&mut self, path: &ast::PathRef, current: Option<&str>) -> Option<Scope> {
        let scope = self.resolve_scope(path, current)?;
        match (&scope, &path.second) {
            (Scope::Stage { pipeline, stage }, Some(second)) => {
                self.index
                    .uses
                    .push((Symbol::Pipeline(pipeline.clone()), path.first.span));
                let stage = Symbol::Stage {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                };
                self.index.uses.push((stage, second.span));
            }
            (Scope::Stage { pipeline, stage }, None) => {
                let stage = Symbol::Stage {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                };
                self.index.uses.push((stage, path.first.span));
            }
            (Scope::Pipeline { pipeline }, _) => {
                self.index
                    .uses
                    .push((Symbol::Pipeline(pipeline.clone()), path.first.span));
            }
        }
        Some(scope)
    }

    pub(super) fn resolve_scope(&mut self, path: &ast::PathRef, current: Option<&str>) -> Option<Scope> {
        let first = &path.first.text;
        if let Some(second) = &path.second {
            let Some(stages) = self.stage_names(first) else {
                self.reference(NameSpace::Pipeline, &path.first);
                return None;
            };
            if stages.contains(&second.text) {
                return Some(Scope::Stage {
                    pipeline: first.clone(),
                    stage: second.text.clone(),
                });
            }
            let suggestion = suggest(&second.text, stages.iter().map(String::as_str));
            self.err(
                Kind::Undefined {
                    entity: Entity::Stage,
                    name: path.display(),
                    suggestion,
                },
                second.span,
            );
            return None;
        }
        if let Some(cur) = current
            && self.stage_names(cur).is_some_and(|s| s.contains(first))
        {
            return Some(Scope::Stage {
                pipeline: cur.to_string(),
                stage: first.clone(),
            });
        }
        if self.stage_names(first).is_some() {
            return Some(Scope::Pipeline {
                pipeline: first.clone(),
            });
        }
        let owner = self
            .stages
            .iter()
            .find(|(_, s)| s.contains(first))
            .map(|(p, _)| p.clone());
        if let Some(pipeline) = owner {
            return Some(Scope::Stage {
                pipeline,
                stage: first.clone(),
            });
        }
        let all: Vec<String> = self
            .stages
            .iter()
            .flat_map(|(p, s)| std::iter::once(p.clone()).chain(s.iter().cloned()))
            .collect();
        let suggestion = suggest(first, all.iter().map(String::as_str));
        self.err(
            Kind::Undefined {
                entity: Entity::Target,
                name: path.display(),
                suggestion,
            },
            path.span,
        );
        None
    }

    // ─── Values ───────────────────────────────────────────────────────────────────────
}
