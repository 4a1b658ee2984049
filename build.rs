//! Compiles the IPADIC system dictionary from the MeCab source that Debian's `mecab-ipadic`
//! package installs, so the dictionary can be embedded in the binary (see `src/dictionary.rs`).
//! Nothing is downloaded: without the source the build stops with the command that installs it.
//! Also lists `rules/*.toml` so the shipped schemes are embedded too (`src/rules/scheme.rs`),
//! and embeds `rules/model.json`, the shipped model, when there is one (`src/model/mod.rs`).
//! Compiles Sudachi's synonym dictionary into the sorted texts the thesaurus searches in place
//! (`src/thesaurus/compile.rs`, compiled into this script together with the normalizer).

use std::path::{Path, PathBuf};

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

// The normalizer and the thesaurus compiler, shared with the library: they use nothing else
// of it. Parts of the normalizer only the library calls are unused here.
#[allow(dead_code)]
#[path = "src/normalize.rs"]
mod normalize;
#[path = "src/thesaurus/compile.rs"]
mod thesaurus_compile;

const DEFAULT_SOURCE: &str = "/usr/share/mecab/dic/ipadic";

fn main() {
    println!("cargo:rerun-if-env-changed=JIYU_IPADIC_SRC");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=dictionaries/ipadic-metadata.json");

    let source = std::env::var_os("JIYU_IPADIC_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_SOURCE));
    if !source.join("matrix.def").is_file() {
        eprintln!(
            "\nerror: the IPADIC source was not found at {}.\n\
             jiyu compiles its Japanese dictionary from MeCab's IPADIC. Install it with\n\
             \n    sudo apt-get install mecab-ipadic\n\n\
             (`make demo` and `make test` do this for you), or point JIYU_IPADIC_SRC at a\n\
             directory holding IPADIC's *.csv, matrix.def, char.def and unk.def.\n",
            source.display()
        );
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed={}", source.display());

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dict_dir = out_dir.join("ipadic");
    build_dictionary(&source, &dict_dir);
    embed_rules(&out_dir);
    embed_model(&out_dir);
    compile_thesaurus(&out_dir);
    println!("cargo:rustc-env=LINDERA_WORKDIR={}", out_dir.display());
}

/// Writes `thesaurus-groups.txt` and `thesaurus-index.txt` from Sudachi's synonym dictionary.
fn compile_thesaurus(out_dir: &Path) {
    let path = "dictionaries/thesaurus/sudachi-synonyms.txt";
    println!("cargo:rerun-if-changed={path}");
    println!("cargo:rerun-if-changed=src/thesaurus/compile.rs");
    println!("cargo:rerun-if-changed=src/normalize.rs");
    let text = std::fs::read_to_string(path).expect("the thesaurus is part of the repository");
    let compiled = match thesaurus_compile::compile(&text) {
        Ok(compiled) => compiled,
        Err(err) => {
            eprintln!(
                "\nerror: {path}:{}:{}: {}\n",
                err.line, err.column, err.message
            );
            std::process::exit(1);
        }
    };
    std::fs::write(out_dir.join("thesaurus-groups.txt"), compiled.groups)
        .expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("thesaurus-index.txt"), compiled.index)
        .expect("OUT_DIR is writable");
}

/// Compiles IPADIC with its connection-cost context ids numbered most-read-first, as counted in
/// `dictionaries/ipadic-context-frequencies.txt` (`make context-frequencies`): the matrix cells
/// the tokenizer reads most sit together, so fewer cache lines are touched. The renumbering is
/// a relabeling lindera applies to the matrix and every entry alike (and to user dictionaries
/// when a segmenter is made): the tokens do not change.
fn build_dictionary(source: &Path, dict_dir: &Path) {
    let metadata_json = std::fs::read("dictionaries/ipadic-metadata.json")
        .expect("dictionaries/ipadic-metadata.json is part of the repository");
    let metadata = Metadata::load(&metadata_json).expect("ipadic-metadata.json is valid");
    let frequencies = "dictionaries/ipadic-context-frequencies.txt";
    println!("cargo:rerun-if-changed={frequencies}");
    // lindera reads this variable in place of the file when it is set.
    println!("cargo:rerun-if-env-changed=LINDERA_CTX_FREQ_FILE");
    if let Err(err) = DictionaryBuilder::new(metadata)
        .with_context_id_freq(frequencies)
        .build_dictionary(source, dict_dir)
    {
        eprintln!(
            "\nerror: compiling IPADIC from {} failed: {err}\n\
             Reinstall the source with `sudo apt-get install --reinstall mecab-ipadic`.\n",
            source.display()
        );
        std::process::exit(1);
    }
}

/// Writes `builtin_rules.rs`: a slice of (file name, contents) of every `rules/*.toml`.
fn embed_rules(out_dir: &Path) {
    println!("cargo:rerun-if-changed=rules");
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules_dir = manifest_dir.join("rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&rules_dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("&[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("]\n");
    std::fs::write(out_dir.join("builtin_rules.rs"), code).expect("OUT_DIR is writable");
}

/// Writes `builtin_model.rs`: `Some(contents of rules/model.json)`, or `None` without one.
fn embed_model(out_dir: &Path) {
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let path = manifest_dir.join("rules").join("model.json");
    println!("cargo:rerun-if-changed={}", path.display());
    let code = if path.is_file() {
        format!("Some(include_str!({:?}))\n", path.display().to_string())
    } else {
        "None\n".to_string()
    };
    std::fs::write(out_dir.join("builtin_model.rs"), code).expect("OUT_DIR is writable");
}
