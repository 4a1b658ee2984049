//! `make e2e`: the page of `jiyu serve` in headless Chromium, driven through chromedriver
//! (Debian's `chromium` and `chromium-driver`) with fantoccini, as a member of staff would use it.
//!
//! It indexes the labeled corpus plus a few answers written here into a temporary directory,
//! starts `jiyu serve` on a free loopback port with an empty temporary overrides file, and
//! checks, in order: the page loads; typing a query shows the hit with the match highlighted; an
//! answer holding `<script>` is shown as text and runs nothing; ticking a category narrows the
//! hits to it; ticking the basis 学習モデルによる推定 lists the model's answers, each saying so,
//! its words marked apart from rule words; review mode walks the answers to check (確信度 below
//! 0.5) least confident first, unclassified ones first of all, a number key and Enter correct
//! one — it shows 確信度 1.00 and 担当者による修正 at once — and the review moves on; the
//! correction is in the overrides file; after a restart of the server the page still shows it,
//! under its new category, corrected, and no longer among the answers to check. The 集計 view
//! shows the hits' categories × 業種 and a click on a cell lists exactly its answers; the KWIC
//! view lists the query's word with each answer's 業種.
//!
//! An example rather than a test, so `make test` builds it but never needs a browser. Usage:
//! `e2e --jiyu target/release/jiyu [--chromium /usr/bin/chromium] [--chromedriver
//! /usr/bin/chromedriver]`. On failure it saves the page's screenshot to target/e2e-failure.png.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);
/// An answer of the labeled corpus whose category the model gives and no rule matches: its
/// evidence is the model's words.
const MODEL_ONLY: &str = "e2e-05";

struct Options {
    jiyu: PathBuf,
    chromium: PathBuf,
    chromedriver: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        jiyu: PathBuf::from("target/release/jiyu"),
        chromium: PathBuf::from("/usr/bin/chromium"),
        chromedriver: PathBuf::from("/usr/bin/chromedriver"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--jiyu" => options.jiyu = value.into(),
            "--chromium" => options.chromium = value.into(),
            "--chromedriver" => options.chromedriver = value.into(),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    for path in [&options.jiyu, &options.chromium, &options.chromedriver] {
        if !path.exists() {
            return Err(format!("{} does not exist", path.display()));
        }
    }
    Ok(options)
}

/// A child process that is killed when dropped (the server, chromedriver).
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Starts `jiyu serve` on a free loopback port; returns it and its address (`http://…/`).
fn start_server(options: &Options, dir: &Path) -> Result<(Process, String), String> {
    let mut child = Command::new(&options.jiyu)
        .arg("serve")
        .arg("--index")
        .arg(dir.join("index"))
        .arg("--rules")
        .arg(repo("rules"))
        .arg("--overrides")
        .arg(dir.join("corrections.csv"))
        .args(["--bind", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", options.jiyu.display()))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let process = Process(child);
    let (sender, address) = mpsc::channel();
    // Reads the server's messages until it exits, so its pipe never fills.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("  [server] {line}");
            if let Some(at) = line.find("open http://") {
                let _ = sender.send(line[at + "open ".len()..].trim().to_string());
            }
        }
    });
    let url = address
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| "the server printed no address within 60 s".to_string())?;
    Ok((process, url))
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|err| err.to_string())?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|err| err.to_string())
}

/// The labeled corpus and the answers the checks look for, as JSONL.
fn write_input(dir: &Path) -> Result<PathBuf, String> {
    let mut input = std::fs::read_to_string(repo("corpus/ipa-2024/labeled.jsonl"))
        .map_err(|err| format!("corpus: {err}"))?;
    for (id, question, text, industry) in [
        (
            "e2e-xss",
            "Q6-1",
            "<script>window.__jiyu_xss=1</script><img src=x onerror=\"window.__jiyu_xss=2\">社員の教材がほしい",
            "建設業",
        ),
        ("e2e-01", "Q6-1", "社員向けの研修動画がほしい", "建設業"),
        ("e2e-02", "Q6-1", "IT導入補助金の申請方法", "製造業（印刷業を含む）"),
        // No rule matches these two: the review of unclassified answers walks them.
        ("e2e-03", "Q6-1", "思いつかないが何か", "情報通信業"),
        ("e2e-04", "Q7-2", "特に思いつかないが、いろいろ", "建設業"),
        // Its first category only the model gives (費用 is the model's word for it).
        (MODEL_ONLY, "Q6-1", "費用の補助", "情報通信業"),
        // The rules match, but with little confidence (0.399): to check after the two above.
        ("e2e-06", "Q10-1", "対策", "建設業"),
    ] {
        input.push_str(
            &(json!({"id": id, "question": question, "text": text, "業種": industry}).to_string()
                + "\n"),
        );
    }
    let path = dir.join("answers.jsonl");
    std::fs::write(&path, input).map_err(|err| err.to_string())?;
    Ok(path)
}

/// Polls `script` (a function body returning a value) until it returns something truthy.
async fn wait_for(client: &Client, what: &str, script: &str) -> Result<Value, String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let value = client
            .execute(script, Vec::new())
            .await
            .map_err(|err| format!("{what}: {err}"))?;
        let truthy = match &value {
            Value::Null | Value::Bool(false) => false,
            Value::String(text) => !text.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Number(number) => number.as_f64() != Some(0.0),
            _ => true,
        };
        if truthy {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {WAIT:?} waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Presses keys on whatever has the focus, as a person would.
async fn press(client: &Client, keys: &[char]) -> Result<(), String> {
    let mut actions = KeyActions::new("keyboard".into());
    for &key in keys {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    client
        .perform_actions(actions)
        .await
        .map_err(|err| format!("pressing {keys:?}: {err}"))
}

/// Sets the search box to nothing, the way select-all and delete would.
async fn clear_query(client: &Client) -> Result<(), String> {
    client
        .execute(
            "const q = document.getElementById('q'); q.value = ''; \
             q.dispatchEvent(new Event('input', {bubbles: true}));",
            Vec::new(),
        )
        .await
        .map(drop)
        .map_err(|err| format!("clearing the query: {err}"))
}

fn step(number: &mut usize, text: &str) {
    *number += 1;
    println!("e2e {number:>2}. {text}");
}

async fn checks(client: &Client, dir: &Path, url: &str) -> Result<usize, String> {
    let mut done = 0;
    client
        .goto(url)
        .await
        .map_err(|err| format!("opening {url}: {err}"))?;
    let total = wait_for(
        client,
        "the first results",
        "const s = document.querySelector('#summary strong'); return s && s.textContent;",
    )
    .await?;
    if total != json!("153") {
        return Err(format!("the page says {total} answers, not 153"));
    }
    step(&mut done, "the page opens and lists all 153 answers");

    let search = client
        .find(Locator::Css("#q"))
        .await
        .map_err(|err| format!("the search box: {err}"))?;
    search
        .send_keys("ランサムウェア")
        .await
        .map_err(|err| format!("typing: {err}"))?;
    wait_for(
        client,
        "the ランサムウェア hit",
        "const hit = document.querySelector('#hits .hit[data-id=\"ipa-031\"]'); \
         const mark = hit && hit.querySelector('mark'); \
         return mark && mark.textContent === 'ランサムウェア' && \
           document.querySelectorAll('#hits .hit').length === 1;",
    )
    .await?;
    let shown = client.current_url().await.map_err(|err| err.to_string())?;
    if !shown.as_str().contains("q=") {
        return Err(format!("the query is not in the address: {shown}"));
    }
    step(
        &mut done,
        "typing ランサムウェア shows ipa-031 with the word highlighted (no Enter needed)",
    );

    clear_query(client).await?;
    search
        .send_keys("教材")
        .await
        .map_err(|err| format!("typing: {err}"))?;
    let snippet = wait_for(
        client,
        "the answer with a script",
        "const hit = document.querySelector('#hits .hit[data-id=\"e2e-xss\"] .snippet'); \
         return hit && hit.textContent;",
    )
    .await?;
    let ran = client
        .execute(
            "return [window.__jiyu_xss === undefined, document.querySelectorAll('#hits img').length];",
            Vec::new(),
        )
        .await
        .map_err(|err| err.to_string())?;
    if !snippet
        .as_str()
        .unwrap_or("")
        .contains("</script><img src=x onerror=")
        || ran != json!([true, 0])
    {
        return Err(format!(
            "the script answer was not shown as text: {snippet} {ran}"
        ));
    }
    client
        .find(Locator::Css("#hits .hit[data-id=\"e2e-xss\"] .hit-main"))
        .await
        .map_err(|err| err.to_string())?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    wait_for(
        client,
        "the script answer's detail",
        "const text = document.getElementById('fulltext'); \
         return text && text.textContent.startsWith('<script>') && window.__jiyu_xss === undefined;",
    )
    .await?;
    step(
        &mut done,
        "an answer holding <script> and <img onerror> is shown as text and runs nothing",
    );

    clear_query(client).await?;
    search
        .send_keys("コスト")
        .await
        .map_err(|err| format!("typing: {err}"))?;
    let found = wait_for(
        client,
        "the answers that say コスト in other words",
        "const hits = [...document.querySelectorAll('#hits .hit')]; \
         const other = document.querySelector('#hits .hit[data-id=\"ipa-136\"] .meaning'); \
         const panel = document.getElementById('related'); \
         return hits.length > 1 && hits[0].dataset.id === 'ipa-135' && other && \
           other.textContent.includes('費用（コスト）') && !panel.hidden && \
           [...panel.querySelectorAll('.related-word')].some(b => b.textContent.startsWith('費用')) && \
           hits.length;",
    )
    .await?;
    client
        .find(Locator::Css("#exact"))
        .await
        .map_err(|err| format!("the exact box: {err}"))?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    wait_for(
        client,
        "コスト as typed only",
        "const hits = [...document.querySelectorAll('#hits .hit')]; \
         return hits.length === 1 && hits[0].dataset.id === 'ipa-135' && \
           new URL(location.href).searchParams.get('exact') === '1';",
    )
    .await?;
    client
        .find(Locator::Css("#exact"))
        .await
        .map_err(|err| format!("the exact box: {err}"))?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    step(
        &mut done,
        &format!(
            "コスト finds {} answers by meaning (費用 marked as its synonym, 関連語 listed) and 1 \
             with 入力した語だけで探す ticked",
            found
        ),
    );

    clear_query(client).await?;
    search
        .send_keys("忙しい")
        .await
        .map_err(|err| format!("typing: {err}"))?;
    wait_for(
        client,
        "the answers of 人材不足、多忙",
        "const said = document.querySelector('#hits .hit[data-id=\"ipa-113\"] .synonyms'); \
         const hit = document.querySelector('#hits .hit[data-id=\"ipa-112\"] .concept'); \
         return said && said.textContent.includes('時間がない（忙しい）') && \
           hit && hit.textContent === 'カテゴリ『人材不足、多忙』に該当';",
    )
    .await?;
    step(
        &mut done,
        "忙しい finds 対応する時間がない through its synonym 時間がない, and 人材が不足している \
         marked カテゴリ『人材不足、多忙』に該当",
    );

    clear_query(client).await?;
    wait_for(
        client,
        "every answer again",
        "const s = document.querySelector('#summary strong'); return s && s.textContent === '153';",
    )
    .await?;
    client
        .find(Locator::Css("input[data-key=\"category::education\"]"))
        .await
        .map_err(|err| format!("the education filter: {err}"))?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    let narrowed = wait_for(
        client,
        "only education answers",
        "const hits = [...document.querySelectorAll('#hits .hit')]; \
         const s = document.querySelector('#summary strong'); \
         if (!hits.length || !s || s.textContent === '153') return false; \
         return hits.every(h => h.querySelector('.chip[data-category=\"education\"]')) && \
           new URL(location.href).searchParams.get('category') === 'education' && s.textContent;",
    )
    .await?;
    step(
        &mut done,
        &format!(
            "ticking the category education narrows the list to its {} answers",
            narrowed.as_str().unwrap_or("?")
        ),
    );

    // The model's answers: untick education, tick the basis 学習モデルによる推定.
    for (key, then) in [
        ("category::education", "!p.has('category')"),
        ("basis::model", "p.get('basis') === 'model'"),
    ] {
        client
            .find(Locator::Css(&format!("input[data-key=\"{key}\"]")))
            .await
            .map_err(|err| format!("the filter {key}: {err}"))?
            .click()
            .await
            .map_err(|err| err.to_string())?;
        // The list is drawn again after each tick: wait for it before the next.
        wait_for(
            client,
            &format!("the filter {key} to take effect"),
            &format!(
                "const p = new URL(location.href).searchParams; \
                 return {then} && document.querySelector('#summary strong') && \
                   !document.querySelector('#summary').textContent.includes('検索中');"
            ),
        )
        .await?;
    }
    let model = wait_for(
        client,
        "only the model's answers, each saying so",
        "const hits = [...document.querySelectorAll('#hits .hit')]; \
         const p = new URL(location.href).searchParams; \
         if (!hits.length || p.get('basis') !== 'model' || p.has('category')) return false; \
         return hits.every(h => h.querySelector('.hit-conf').dataset.basis === 'model' && \
           h.querySelector('.hit-conf .basis').textContent === '学習モデルによる推定' && \
           /^確信度 [01]\\.[0-9]{2}$/.test(h.querySelector('.hit-conf .conf').textContent)) && \
           document.querySelector('#summary strong').textContent;",
    )
    .await?;
    // An answer whose category only the model gave: its words are marked, apart from rule words.
    client
        .find(Locator::Css(&format!(
            "#hits .hit[data-id=\"{MODEL_ONLY}\"] .hit-main"
        )))
        .await
        .map_err(|err| format!("{MODEL_ONLY} among the model's answers: {err}"))?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    let words = wait_for(
        client,
        "the model's words marked in the answer",
        &format!(
            "const id = document.querySelector('#detail .hit-id'); \
             const basis = document.querySelector('#detail .detail-conf .basis'); \
             const marks = [...document.querySelectorAll('#fulltext mark.model')]; \
             return id && id.textContent === '{MODEL_ONLY}' && basis && \
               basis.textContent === '学習モデルによる推定' && marks.length && \
               getComputedStyle(marks[0]).textDecorationStyle === 'dotted' && \
               marks.map(m => m.textContent).join(' ');"
        ),
    )
    .await?;
    client
        .find(Locator::Css("input[data-key=\"basis::model\"]"))
        .await
        .map_err(|err| err.to_string())?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    step(
        &mut done,
        &format!(
            "ticking 学習モデルによる推定 lists the model's {} answers, each saying so; \
             {MODEL_ONLY} has the model's words {} marked with a dotted underline",
            model.as_str().unwrap_or("?"),
            words.as_str().unwrap_or("?")
        ),
    );

    client
        .find(Locator::Css("#review-doubtful"))
        .await
        .map_err(|err| err.to_string())?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    let first = wait_for(
        client,
        "the least confident answer in review",
        "const banner = document.getElementById('review-banner'); \
         const id = document.querySelector('#detail .hit-id'); \
         const hits = [...document.querySelectorAll('#hits .hit')]; \
         const p = new URL(location.href).searchParams; \
         const confidence = (h) => Number(h.querySelector('.hit-conf .conf').textContent.replace('確信度 ', '')); \
         const rising = hits.map(confidence); \
         return !banner.hidden && document.querySelector('#choices') && hits.length && \
           p.get('below') === '0.5' && p.get('sort') === 'confidence' && \
           document.getElementById('below').checked && \
           rising.every((c, i) => c < 0.5 && (i === 0 || rising[i - 1] <= c)) && \
           rising[0] === 0 && hits[0].querySelector('.chip[data-category=\"unclassified\"]') && \
           id && id.textContent === hits[0].dataset.id && \
           [id.textContent, document.querySelector('#choices button').dataset.category, \
            document.querySelector('#choices button').textContent, \
            document.querySelector('#summary strong').textContent, rising.join(' ')];",
    )
    .await?;
    let id = first[0].as_str().unwrap_or_default().to_string();
    let category = first[1].as_str().unwrap_or_default().to_string();
    step(
        &mut done,
        &format!(
            "要確認をレビュー walks the {} answers below 確信度 0.5, least confident first ({}): \
             it opens the unclassified {id}",
            first[3].as_str().unwrap_or("?"),
            first[4].as_str().unwrap_or("?")
        ),
    );

    press(client, &['1']).await?;
    wait_for(
        client,
        "key 1 to select the first category",
        &format!(
            "const b = document.querySelector('#choices button[data-category=\"{category}\"]'); \
             const u = document.querySelector('#choices button[data-category=\"unclassified\"]'); \
             return b && b.getAttribute('aria-pressed') === 'true' && \
               u.getAttribute('aria-pressed') === 'false';"
        ),
    )
    .await?;
    press(client, &[Key::Enter.into()]).await?;
    let moved = wait_for(
        client,
        "the save and the move to the next answer",
        &format!(
            "const id = document.querySelector('#detail .hit-id'); \
             const hit = document.querySelector('#hits .hit[data-id=\"{id}\"]'); \
             const saved = hit && hit.querySelector('.badge'); \
             return saved && hit.querySelector('.hit-conf .conf').textContent === '確信度 1.00' && \
               hit.querySelector('.hit-conf .basis').textContent === '担当者による修正' && \
               id && id.textContent !== '{id}' && id.textContent;"
        ),
    )
    .await?;
    step(
        &mut done,
        &format!(
            "key 1 then Enter saves {id} as {category} (now 確信度 1.00, 担当者による修正) and moves on to {}",
            moved.as_str().unwrap_or("?")
        ),
    );

    let file = std::fs::read_to_string(dir.join("corrections.csv"))
        .map_err(|err| format!("the overrides file: {err}"))?;
    if !file
        .lines()
        .any(|line| line.starts_with(&format!("{id},{category},")))
    {
        return Err(format!("the overrides file lacks {id}: {file}"));
    }
    step(&mut done, "the correction is a row of the overrides file");

    views(client, url, &mut done).await?;
    Ok(done)
}

/// The 集計 view (categories × 業種 of the hits) and a click on one of its cells, which lists
/// exactly that cell's answers; the KWIC view with the answers' 業種; the 語 view's word table and
/// network, and a click on a word that searches for it.
async fn views(client: &Client, url: &str, done: &mut usize) -> Result<(), String> {
    client
        .goto(&format!(
            "{url}?question=Q6-1&view=crosstab&by=%E6%A5%AD%E7%A8%AE"
        ))
        .await
        .map_err(|err| err.to_string())?;
    // A cell of 建設業 with answers: its category and count.
    let cell = wait_for(
        client,
        "the 集計 table with a 建設業 cell",
        "const table = document.querySelector('#crosstab-table table'); \
         if (!table || document.getElementById('crosstab').hidden) return false; \
         const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent); \
         const button = table.querySelector('tbody td button.cell[data-value=\"建設業\"]'); \
         if (!heads.includes('建設業') || !button) return false; \
         button.id = 'e2e-cell'; \
         return [button.closest('tr').dataset.category, button.firstChild.textContent];",
    )
    .await?;
    let category = cell[0].as_str().unwrap_or_default().to_string();
    let count = cell[1].as_str().unwrap_or_default().to_string();
    step(
        done,
        &format!(
            "the 集計 view shows Q6-1's categories × 業種; {category} × 建設業 has {count} answers"
        ),
    );
    client
        .find(Locator::Id("e2e-cell"))
        .await
        .map_err(|err| format!("the cell: {err}"))?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    wait_for(
        client,
        "the cell's answers in the list",
        &format!(
            "const s = document.querySelector('#summary strong'); \
             const hits = [...document.querySelectorAll('#hits .hit')]; \
             const p = new URL(location.href).searchParams; \
             return !document.getElementById('hits').hidden && s && s.textContent === '{count}' && \
               hits.length === Math.min(20, {count}) && \
               hits.every(h => h.querySelector('.chip[data-category=\"{category}\"]')) && \
               p.get('category') === '{category}' && p.get('where') === '業種=建設業' && \
               p.get('question') === 'Q6-1';"
        ),
    )
    .await?;
    step(
        done,
        &format!("a click on the cell lists its {count} answers: category {category}, 業種 建設業, in the URL"),
    );

    client
        .goto(&format!(
            "{url}?q=%E7%A0%94%E4%BF%AE&view=kwic&by=%E6%A5%AD%E7%A8%AE"
        ))
        .await
        .map_err(|err| err.to_string())?;
    let lines = wait_for(
        client,
        "the KWIC lines of 研修 with 業種",
        "const rows = [...document.querySelectorAll('#kwic-lines tbody tr')]; \
         const heads = [...document.querySelectorAll('#kwic-lines thead th')].map(th => th.textContent); \
         if (!rows.length || heads[heads.length - 1] !== '業種') return false; \
         const e2e = rows.find(r => r.cells[0].textContent === 'e2e-01'); \
         return rows.every(r => r.querySelector('td.word').textContent.includes('研修')) && e2e && \
           e2e.cells[e2e.cells.length - 1].textContent === '建設業' && \
           document.getElementById('kwic-csv').href.includes('/api/kwic.csv?') && rows.length;",
    )
    .await?;
    step(
        done,
        &format!(
            "the KWIC view lists 研修 in {lines} lines with each answer's 業種, and links its CSV"
        ),
    );

    client
        .goto(&format!("{url}?question=Q6-1&view=words"))
        .await
        .map_err(|err| err.to_string())?;
    let shown = wait_for(
        client,
        "the 語 view's table and network",
        "if (document.getElementById('words').hidden) return false; \
         const rows = [...document.querySelectorAll('#words-table tbody tr')]; \
         const heads = [...document.querySelectorAll('#words-table thead th')].map(th => th.textContent); \
         const svg = document.querySelector('#words-network svg'); \
         if (!rows.length || !svg || heads.join() !== '語,品詞,回答数,割合') return false; \
         const labels = [...svg.querySelectorAll('text')]; \
         const word = rows[0].querySelector('button.word'); \
         word.id = 'e2e-word'; \
         return labels.length > 2 && getComputedStyle(labels[0]).fontSize === '12px' && \
           document.getElementById('words-summary').textContent.includes('Q6-1') && \
           [rows.length, labels.length, word.textContent];",
    )
    .await?;
    let word = shown[2].as_str().unwrap_or_default().to_string();
    step(
        done,
        &format!(
            "the 語 view shows Q6-1's {} most used words and their network ({} labels, styled)",
            shown[0], shown[1]
        ),
    );
    client
        .find(Locator::Id("e2e-word"))
        .await
        .map_err(|err| format!("the word: {err}"))?
        .click()
        .await
        .map_err(|err| err.to_string())?;
    wait_for(
        client,
        "the word's answers in the list",
        &format!(
            "const p = new URL(location.href).searchParams; \
             return !document.getElementById('hits').hidden && \
               document.getElementById('q').value === '{word}' && p.get('q') === '{word}' && \
               p.get('question') === 'Q6-1' && document.querySelectorAll('#hits .hit').length > 0;"
        ),
    )
    .await?;
    step(
        done,
        &format!("a click on {word} searches for it (the 設問 filter kept)"),
    );
    Ok(())
}

async fn after_restart(client: &Client, url: &str, id: &str, category: &str) -> Result<(), String> {
    client
        .goto(&format!("{url}?category={category}"))
        .await
        .map_err(|err| err.to_string())?;
    wait_for(
        client,
        "the corrected answer under its new category after the restart",
        &format!(
            "const hit = document.querySelector('#hits .hit[data-id=\"{id}\"]'); \
             return hit && hit.querySelector('.badge') && \
               hit.querySelector('.chip[data-category=\"{category}\"]');"
        ),
    )
    .await?;
    client
        .goto(&format!("{url}?below=0.5&sort=confidence&open={id}"))
        .await
        .map_err(|err| err.to_string())?;
    wait_for(
        client,
        "the detail of the corrected answer, no longer to check",
        &format!(
            "const id = document.querySelector('#detail .hit-id'); \
             const pressed = document.querySelector('#choices button[aria-pressed=\"true\"]'); \
             const conf = document.querySelector('#detail .detail-conf'); \
             return id && id.textContent === '{id}' && pressed && pressed.dataset.category === '{category}' && \
               conf && conf.textContent.includes('確信度 1.00') && conf.textContent.includes('担当者による修正') && \
               document.querySelectorAll('#hits .hit').length && \
               !document.querySelector('#hits .hit[data-id=\"{id}\"]');"
        ),
    )
    .await?;
    Ok(())
}

async fn run(options: &Options) -> Result<usize, String> {
    let dir = tempfile::tempdir().map_err(|err| err.to_string())?;
    let input = write_input(dir.path())?;
    let status = Command::new(&options.jiyu)
        .arg("index")
        .arg("--quiet")
        .arg("--rules")
        .arg(repo("rules"))
        .arg("--input")
        .arg(&input)
        .arg("--index")
        .arg(dir.path().join("index"))
        .status()
        .map_err(|err| err.to_string())?;
    if !status.success() {
        return Err("jiyu index failed".into());
    }
    let (server, url) = start_server(options, dir.path())?;

    let port = free_port()?;
    let _driver = Process(
        Command::new(&options.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("cannot start {}: {err}", options.chromedriver.display()))?,
    );
    let profile = tempfile::tempdir().map_err(|err| err.to_string())?;
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": options.chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(capabilities);
    let deadline = Instant::now() + WAIT;
    let client = loop {
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(client) => break client,
            Err(err) if Instant::now() > deadline => {
                return Err(format!("cannot reach chromedriver: {err}"))
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };

    let outcome = async {
        let mut done = checks(&client, dir.path(), &url).await?;
        let file = std::fs::read_to_string(dir.path().join("corrections.csv"))
            .map_err(|err| err.to_string())?;
        let row = file.lines().nth(1).ok_or("no correction row")?.to_string();
        let mut fields = row.split(',');
        let id = fields.next().unwrap_or_default().to_string();
        let category = fields.next().unwrap_or_default().to_string();
        drop(server);
        let (_server, url) = start_server(options, dir.path())?;
        after_restart(&client, &url, &id, &category).await?;
        done += 1;
        println!("e2e {done:>2}. after a restart of the server the page shows {id} under {category}, 確信度 1.00 and 担当者による修正, no longer among the answers to check");
        Ok::<usize, String>(done)
    }
    .await;
    if outcome.is_err() {
        if let Ok(png) = client.screenshot().await {
            let path = repo("target/e2e-failure.png");
            if std::fs::write(&path, png).is_ok() {
                eprintln!("e2e: the page at the failure: {}", path.display());
            }
        }
    }
    let _ = client.close().await;
    outcome
}

#[tokio::main]
async fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("e2e: {message}");
            std::process::exit(2);
        }
    };
    match run(&options).await {
        Ok(checks) => println!("e2e: all {checks} checks passed in headless Chromium"),
        Err(message) => {
            eprintln!("e2e: FAILED: {message}");
            std::process::exit(1);
        }
    }
}
