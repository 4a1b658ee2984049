//! `jiyu._jiyu`, the extension module of the Python package `jiyu`: the library's classifier,
//! tokenizer, explanations and export readers, with the library's results turned into Python
//! objects and its errors into `jiyu.JiyuError` carrying the command's message. Nothing is
//! decided here: every category, token and message comes from the `jiyu` crate.

use std::path::{Path, PathBuf};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::{create_exception, intern};
use rayon::prelude::*;

use jiyu::classify::explain::explain;
use jiyu::classify::{Classification, Classifier as Inner};
use jiyu::input::{self, Encoding, Format, InputOptions};
use jiyu::model::ModelSource;
use jiyu::output::rounded_confidence;
use jiyu::rules::scheme::RulesSource;
use jiyu::Analyzer;

create_exception!(
    _jiyu,
    JiyuError,
    pyo3::exceptions::PyException,
    "An error of jiyu: a rule file, model, dictionary or export it cannot use. The message is the \
     one `jiyu` prints (file:line:column: what is wrong)."
);

/// The allocator of the `jiyu` binary: the classifier allocates on rayon's threads and frees on
/// others, where the system allocator's per-thread arenas contended.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn error(err: jiyu::Error) -> PyErr {
    JiyuError::new_err(err.to_string())
}

/// The rules, the model and the analyzer of one classifier, loaded once; share it between
/// threads and calls.
#[pyclass(frozen, module = "jiyu._jiyu")]
struct Classifier {
    inner: Inner,
    rules_origin: String,
}

/// Where the model comes from: `None` beside the rules, `False` none, a path that file.
fn model_source(model: Option<&Bound<'_, PyAny>>) -> PyResult<ModelSource> {
    let Some(model) = model else {
        return Ok(ModelSource::BesideRules);
    };
    if model.is_none() {
        return Ok(ModelSource::BesideRules);
    }
    if let Ok(flag) = model.extract::<bool>() {
        return if flag {
            Ok(ModelSource::BesideRules)
        } else {
            Ok(ModelSource::None)
        };
    }
    Ok(ModelSource::File(model.extract::<PathBuf>()?))
}

/// One path or a list of paths.
fn paths(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    match value {
        None => Ok(Vec::new()),
        Some(value) if value.is_none() => Ok(Vec::new()),
        Some(value) => match value.extract::<PathBuf>() {
            Ok(path) => Ok(vec![path]),
            Err(_) => value.extract::<Vec<PathBuf>>(),
        },
    }
}

#[pymethods]
impl Classifier {
    #[new]
    #[pyo3(signature = (rules=None, model=None, user_dict=None))]
    fn new(
        py: Python<'_>,
        rules: Option<PathBuf>,
        model: Option<&Bound<'_, PyAny>>,
        user_dict: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let source = rules.map_or(RulesSource::BuiltIn, RulesSource::Directory);
        let model = model_source(model)?;
        let dictionaries = paths(user_dict)?;
        let inner = py
            .detach(|| {
                let dictionaries: Vec<&Path> = dictionaries.iter().map(PathBuf::as_path).collect();
                Inner::with_model(Analyzer::new(&dictionaries)?, &source, &model)
            })
            .map_err(error)?;
        let rules_origin = inner.rules.origin.clone();
        Ok(Classifier {
            inner,
            rules_origin,
        })
    }

    fn classify<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        question: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let classification = py.detach(|| self.inner.classify_text(question, text));
        record(py, question, text, &classification)
    }

    fn classify_many<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
        questions: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let questions = questions_for(questions, texts.len())?;
        let classifications: Vec<Classification> = py.detach(|| {
            (0..texts.len())
                .into_par_iter()
                .map(|index| {
                    self.inner
                        .classify_text(questions.get(index), &texts[index])
                })
                .collect()
        });
        // Python's cycle collector would walk every live object again and again while hundreds
        // of thousands of dicts are made (a quarter of the time at 200,000 answers); the
        // records hold no cycles, so it is paused while they are built and restored after.
        without_cycle_collector(py, || {
            let list = PyList::empty(py);
            for (index, classification) in classifications.iter().enumerate() {
                list.append(record(
                    py,
                    questions.get(index),
                    &texts[index],
                    classification,
                )?)?;
            }
            Ok(list)
        })
    }

    fn tokenize<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyList>> {
        let analysis = py.detach(|| self.inner.analyzer.analyze(text));
        let list = PyList::empty(py);
        for token in &analysis.tokens {
            let entry = PyDict::new(py);
            entry.set_item(intern!(py, "surface"), token.surface.as_ref())?;
            entry.set_item(intern!(py, "base"), token.base.as_ref())?;
            entry.set_item(intern!(py, "pos"), token.pos.as_ref())?;
            entry.set_item(intern!(py, "reading"), token.reading.as_ref())?;
            entry.set_item(intern!(py, "negated"), token.negated)?;
            list.append(entry)?;
        }
        Ok(list)
    }

    fn explain(&self, py: Python<'_>, text: &str, question: &str) -> String {
        py.detach(|| explain(&self.inner, question, text))
    }

    #[getter]
    fn rules_origin(&self) -> &str {
        &self.rules_origin
    }

    #[getter]
    fn has_model(&self) -> bool {
        self.inner.model.is_some()
    }

    #[getter]
    fn questions(&self) -> Vec<String> {
        self.inner
            .rules
            .schemes
            .iter()
            .flat_map(|scheme| scheme.questions.iter().cloned())
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "jiyu.Classifier(rules: {}, model: {})",
            self.rules_origin,
            if self.inner.model.is_some() {
                "yes"
            } else {
                "none"
            }
        )
    }
}

/// The question of every text: one for all, or one each.
enum Questions {
    One(String),
    Each(Vec<String>),
}

impl Questions {
    fn get(&self, index: usize) -> &str {
        match self {
            Questions::One(question) => question,
            Questions::Each(questions) => &questions[index],
        }
    }
}

fn questions_for(questions: &Bound<'_, PyAny>, texts: usize) -> PyResult<Questions> {
    if let Ok(question) = questions.cast::<PyString>() {
        return Ok(Questions::One(question.extract::<String>()?));
    }
    let questions: Vec<String> = questions.extract()?;
    if questions.len() != texts {
        return Err(PyValueError::new_err(format!(
            "{} texts but {} questions: give one question for all or one for each text",
            texts,
            questions.len()
        )));
    }
    Ok(Questions::Each(questions))
}

/// Runs `build` with Python's cycle collector (`gc`) disabled, enabling it again after if it
/// was enabled, whether `build` succeeds or fails.
fn without_cycle_collector<'py, T>(
    py: Python<'py>,
    build: impl FnOnce() -> PyResult<T>,
) -> PyResult<T> {
    let gc = py.import(intern!(py, "gc"))?;
    let enabled: bool = gc.call_method0(intern!(py, "isenabled"))?.extract()?;
    if enabled {
        gc.call_method0(intern!(py, "disable"))?;
    }
    let built = build();
    if enabled {
        gc.call_method0(intern!(py, "enable"))?;
    }
    built
}

/// The fields of a line of `jiyu classify`'s JSONL output that a text alone has: question,
/// text, categories, primary, confidence (as every output rounds it), basis and evidence.
fn record<'py>(
    py: Python<'py>,
    question: &str,
    text: &str,
    classification: &Classification,
) -> PyResult<Bound<'py, PyDict>> {
    let entry = PyDict::new(py);
    entry.set_item(intern!(py, "question"), question)?;
    entry.set_item(intern!(py, "text"), text)?;
    entry.set_item(intern!(py, "categories"), &classification.categories)?;
    entry.set_item(intern!(py, "primary"), classification.primary())?;
    entry.set_item(
        intern!(py, "confidence"),
        classification.confidence.map(rounded_confidence),
    )?;
    entry.set_item(intern!(py, "basis"), classification.basis.as_str())?;
    let evidence = PyDict::new(py);
    for category in &classification.evidence {
        let matches = PyList::empty(py);
        for found in &category.matches {
            let item = PyDict::new(py);
            item.set_item(intern!(py, "term"), &found.term)?;
            item.set_item(intern!(py, "text"), &found.text)?;
            item.set_item(intern!(py, "start"), found.start)?;
            item.set_item(intern!(py, "end"), found.end)?;
            matches.append(item)?;
        }
        evidence.set_item(&category.category, matches)?;
    }
    entry.set_item(intern!(py, "evidence"), evidence)?;
    Ok(entry)
}

/// The answers of an export as columns: `id`, `question`, `text`, then every attribute in
/// order of first appearance (`None` where an answer lacks it).
#[pyfunction]
#[pyo3(signature = (path, id_column=None, text_columns=None, question_column=None, text_column=None, format=None, encoding=None, sheet=None))]
#[allow(clippy::too_many_arguments)]
fn read_export_columns<'py>(
    py: Python<'py>,
    path: PathBuf,
    id_column: Option<String>,
    text_columns: Option<Vec<String>>,
    question_column: Option<String>,
    text_column: Option<String>,
    format: Option<String>,
    encoding: Option<String>,
    sheet: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let format = format
        .map(|name| name.parse::<Format>().map_err(PyValueError::new_err))
        .transpose()?;
    let encoding = encoding
        .map(|name| name.parse::<Encoding>().map_err(PyValueError::new_err))
        .transpose()?;
    let options = InputOptions {
        format,
        encoding,
        id_column,
        question_column,
        text_column,
        text_columns: text_columns.unwrap_or_default(),
        sheet,
    };
    let answers = py
        .detach(|| input::read_all(&path, &options))
        .map_err(error)?;
    let mut names: Vec<&str> = Vec::new();
    for answer in &answers {
        for (name, _) in &answer.attributes {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    let columns = PyDict::new(py);
    columns.set_item("id", answers.iter().map(|a| &a.id).collect::<Vec<_>>())?;
    columns.set_item(
        "question",
        answers.iter().map(|a| &a.question).collect::<Vec<_>>(),
    )?;
    columns.set_item("text", answers.iter().map(|a| &a.text).collect::<Vec<_>>())?;
    for name in names {
        let values: Vec<Option<&str>> = answers
            .iter()
            .map(|answer| {
                answer
                    .attributes
                    .iter()
                    .find(|(attribute, _)| attribute == name)
                    .map(|(_, value)| value.as_str())
            })
            .collect();
        columns.set_item(name, values)?;
    }
    Ok(columns)
}

#[pymodule]
fn _jiyu(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Classifier>()?;
    module.add_function(wrap_pyfunction!(read_export_columns, module)?)?;
    module.add("JiyuError", module.py().get_type::<JiyuError>())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
