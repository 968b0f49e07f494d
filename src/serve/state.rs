//! The server's state and the two threads that change it: the simulation worker (one run at a
//! time; a newer change cancels the running one between batches and becomes the one pending,
//! so the queue holds at most one running and the latest pending) and the file watcher (polls
//! the modification times of the regulation and its includes every 300 ms).
//!
//! Every result is published as a new version of the page's view ([`super::view`]); the HTTP
//! side waits for versions on a `tokio::sync::watch` channel and never simulates.

use super::controls;
use super::results::{Loaded, Outcome, Settings};
use super::view;
use crate::diag::Lang;
use crate::planning;
use crate::sim::SimOptions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// The scenario the controls make now, with the model it is for and the last forecast.
pub struct Current {
    pub name: String,
    pub yaml: String,
    pub loaded: Arc<Loaded>,
    pub outcome: Option<Arc<Outcome>>,
}

struct Inner {
    values: BTreeMap<String, f64>,
    name: String,
    reload: bool,
    loaded: Option<Arc<Loaded>>,
    outcome: Option<Arc<Outcome>>,
    /// The diagnostics of the file as it is now, when it has errors (the text `check` prints).
    errors: Option<String>,
    /// Warnings and notes of the last compilation, counted on the page.
    warnings: usize,
    busy: bool,
    /// A change the server could not apply (e.g. a scenario the parser refused).
    problem: Option<String>,
    view: Arc<String>,
    version: u64,
    files: Vec<(PathBuf, Option<SystemTime>)>,
}

pub struct App {
    pub settings: Settings,
    inner: Mutex<Inner>,
    wake: Condvar,
    /// Bumped by every change of input (a control, a reload): the worker's run is stale when
    /// it differs from the generation it started with.
    generation: AtomicU64,
    done: AtomicU64,
    pub stop: AtomicBool,
    pub versions: tokio::sync::watch::Sender<u64>,
}

impl App {
    pub fn new(settings: Settings) -> Arc<App> {
        let (versions, _) = tokio::sync::watch::channel(0);
        Arc::new(App {
            settings,
            inner: Mutex::new(Inner {
                values: BTreeMap::new(),
                name: String::new(),
                reload: true,
                loaded: None,
                outcome: None,
                errors: None,
                warnings: 0,
                busy: true,
                problem: None,
                view: Arc::new(String::from("{}")),
                version: 0,
                files: Vec::new(),
            }),
            wake: Condvar::new(),
            generation: AtomicU64::new(1),
            done: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            versions,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic on the worker must not take the page down with a poisoned lock.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The page's view as JSON, and its version.
    pub fn view(&self) -> (u64, Arc<String>) {
        let inner = self.lock();
        (inner.version, inner.view.clone())
    }

    /// Sets the controls' values (the whole set: ids missing go back to the regulation's
    /// value) and the scenario's name; returns the generation the result will carry.
    pub fn set_values(&self, values: BTreeMap<String, f64>, name: String) -> u64 {
        let mut inner = self.lock();
        inner.values = values;
        inner.name = name;
        let g = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        drop(inner);
        self.wake.notify_all();
        g
    }

    /// The current scenario as YAML, and the model it is written for.
    pub fn scenario(&self) -> Option<Current> {
        let inner = self.lock();
        let loaded = inner.loaded.clone()?;
        let name = scenario_name(&inner.name, self.settings.lang);
        let yaml = controls::scenario_yaml(&loaded.model, &loaded.controls, &inner.values, &name);
        Some(Current {
            name,
            yaml,
            loaded,
            outcome: inner.outcome.clone(),
        })
    }

    /// The files of the regulation (root and includes) the watcher follows.
    pub fn files(&self) -> Vec<PathBuf> {
        self.lock().files.iter().map(|(p, _)| p.clone()).collect()
    }

    fn publish(&self, inner: &mut Inner) {
        let state = view::State {
            settings: &self.settings,
            loaded: inner.loaded.as_deref(),
            outcome: inner.outcome.as_deref(),
            errors: inner.errors.as_deref(),
            warnings: inner.warnings,
            busy: inner.busy,
            problem: inner.problem.as_deref(),
            generation: self.generation.load(Ordering::SeqCst),
        };
        inner.view = Arc::new(view::json(&state));
        inner.version += 1;
        self.versions.send_replace(inner.version);
    }

    fn sim_options(&self) -> SimOptions<'static> {
        SimOptions {
            runs: self.settings.runs,
            seed: self.settings.seed,
            months: None,
            threads: None,
            progress: None,
            open_deals: &[],
            start: None,
            shared: None,
        }
    }

    /// The simulation worker: runs until [`App::stop`] is set.
    pub fn work(self: &Arc<App>) {
        loop {
            let mut inner = self.lock();
            while !self.stop.load(Ordering::SeqCst)
                && !inner.reload
                && self.done.load(Ordering::SeqCst) == self.generation.load(Ordering::SeqCst)
            {
                inner = self.wake.wait(inner).unwrap_or_else(|e| e.into_inner());
            }
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let generation = self.generation.load(Ordering::SeqCst);
            let reload =
                std::mem::take(&mut inner.reload) || inner.loaded.is_none() && inner.errors.is_none();
            inner.busy = true;
            self.publish(&mut inner);
            drop(inner);
            if reload && !self.reload() {
                continue;
            }
            // The values as they are now (a reload drops those of controls that went away).
            let mut inner = self.lock();
            let Some(loaded) = inner.loaded.clone() else {
                inner.busy = false;
                self.done.store(generation, Ordering::SeqCst);
                self.publish(&mut inner);
                continue;
            };
            let values = inner.values.clone();
            let name = scenario_name(&inner.name, self.settings.lang);
            drop(inner);
            let outcome = self.simulate(&loaded, values, &name, generation);
            let mut inner = self.lock();
            match outcome {
                Ok(Some(o)) => {
                    inner.outcome = Some(Arc::new(o));
                    inner.problem = None;
                }
                Ok(None) => continue, // a newer change arrived: it runs next
                Err(e) => inner.problem = Some(e),
            }
            inner.busy = false;
            self.done.store(generation, Ordering::SeqCst);
            self.publish(&mut inner);
        }
    }

    /// Compiles the file again; on success simulates the baseline. False when the file has
    /// errors (they are published; the last good forecast stays, greyed out).
    fn reload(&self) -> bool {
        let s = &self.settings;
        let compiled = crate::compile_with(&s.file, &s.options);
        let diags = crate::crm::with_diagnostics(&compiled, s.lang, &s.options);
        let mut files: Vec<PathBuf> = compiled.sources.files().map(|(_, f)| f.path.clone()).collect();
        if !files.contains(&s.file) {
            files.insert(0, s.file.clone());
        }
        let has_errors = diags.iter().any(|d| d.is_error()) || compiled.io_failure;
        let warnings = diags.iter().filter(|d| !d.is_error()).count();
        {
            let mut inner = self.lock();
            for f in inner.files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>() {
                if !files.contains(&f) {
                    files.push(f);
                }
            }
            inner.files = files.iter().map(|p| (p.clone(), mtime(p))).collect();
            inner.warnings = warnings;
        }
        let model = compiled.model.filter(|_| !has_errors);
        let Some(model) = model else {
            let text = if diags.is_empty() {
                s.lang
                    .pick("ошибка: не удалось прочитать файл", "error: cannot read the file")
                    .to_owned()
            } else {
                let mut t = crate::diag::render::human_string(&compiled.sources, &diags, s.lang);
                if let Some(line) = crate::diag::render::summary(&diags, s.lang) {
                    t.push_str(&line);
                    t.push('\n');
                }
                t
            };
            let mut inner = self.lock();
            inner.errors = Some(text);
            inner.busy = false;
            self.done
                .store(self.generation.load(Ordering::SeqCst), Ordering::SeqCst);
            self.publish(&mut inner);
            return false;
        };
        let options = self.sim_options();
        let stop = || self.stop.load(Ordering::SeqCst) || self.lock().reload;
        let Some((base, base_runs)) = planning::run_until(&model, &options, &stop) else {
            return false;
        };
        let controls = controls::controls(&model, s.lang);
        let fixed = view::fixed(&model, s.lang);
        let loaded = Arc::new(Loaded {
            model,
            controls,
            base,
            base_runs,
            fixed,
        });
        let mut inner = self.lock();
        // Values of controls the new model no longer has are dropped.
        let ids: Vec<&str> = loaded.controls.iter().map(|c| c.id.as_str()).collect();
        inner.values.retain(|k, _| ids.contains(&k.as_str()));
        inner.loaded = Some(loaded);
        inner.errors = None;
        true
    }

    /// The scenario of `values` beside the baseline; `Ok(None)` when a newer change arrived.
    fn simulate(
        &self,
        loaded: &Loaded,
        values: BTreeMap<String, f64>,
        name: &str,
        generation: u64,
    ) -> Result<Option<Outcome>, String> {
        let lang = self.settings.lang;
        let yaml = controls::scenario_yaml(&loaded.model, &loaded.controls, &values, name);
        let scenario = controls::parse(&loaded.model, &yaml, name)?;
        if scenario.changes.is_empty() {
            let charts = view::charts(&loaded.model, &loaded.base, &loaded.base_runs, None, lang);
            return Ok(Some(Outcome {
                generation,
                yaml,
                values,
                compared: None,
                scenario: None,
                charts,
            }));
        }
        let options = self.sim_options();
        let stop =
            || self.stop.load(Ordering::SeqCst) || self.generation.load(Ordering::SeqCst) != generation;
        let Some((compared, result, runs)) = planning::compare_until(
            &loaded.model,
            &loaded.base_runs,
            &scenario,
            &options,
            planning::PRECISION,
            &stop,
        ) else {
            return Ok(None);
        };
        let changed = crate::scenario::apply(&loaded.model, &scenario);
        let charts = view::charts(&changed, &result, &runs, Some((&loaded.base, &compared)), lang);
        Ok(Some(Outcome {
            generation,
            yaml,
            values,
            compared: Some(compared),
            scenario: Some((result, runs)),
            charts,
        }))
    }

    /// The file watcher: every 300 ms compares the files' modification times with those of
    /// the last compilation and asks for a reload when one changed.
    pub fn watch(self: &Arc<App>) {
        while !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(300));
            let mut inner = self.lock();
            let changed = inner.files.iter().any(|(p, t)| mtime(p) != *t);
            if changed {
                inner.files = inner.files.iter().map(|(p, _)| (p.clone(), mtime(p))).collect();
                inner.reload = true;
                self.generation.fetch_add(1, Ordering::SeqCst);
                drop(inner);
                self.wake.notify_all();
            }
        }
    }

    /// Wakes the worker so it sees [`App::stop`].
    pub fn shut_down(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.wake.notify_all();
        // Long polls wake and return.
        self.versions.send_modify(|_| {});
    }
}

fn scenario_name(name: &str, lang: Lang) -> String {
    let name = name.trim();
    if name.is_empty() {
        lang.pick("Сценарий", "Scenario").to_owned()
    } else {
        name.chars().take(120).collect()
    }
}

fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}
