//! The ordered parallel pipeline every command that reads a whole export runs on: answers are
//! read in chunks on one thread, each chunk is worked on by rayon's threads, and the results
//! come back to the calling thread in input order, with memory flat however long the input is.

use std::sync::mpsc::{channel, sync_channel};

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::error::Result;
use crate::input::Answer;

/// Answers handled together: enough to keep every core busy, few enough that memory stays
/// flat however long the input is.
const CHUNK: usize = 4096;

/// Chunks waiting between two stages: the reader may run this far ahead of the workers, and
/// the workers this far ahead of the sink.
const CHUNKS_IN_FLIGHT: usize = 2;

/// Runs `work` on every answer on rayon's threads and hands the results to `sink` on the
/// calling thread, in input order.
///
/// Three stages overlap: a reader thread parses the next chunks of input, a chunk is spread
/// over the cores, and the calling thread sinks the chunk before it. Reading and writing are
/// serial work; done in turn with the parallel part they left cores idle (the profile of
/// `classify` showed one core of two busy during them). A read error reaches `sink`'s caller
/// in its place in the input, after every answer before it has been sunk; an error of `sink`
/// stops the other stages.
pub fn map_in_order<I, T, W, S>(answers: I, work: W, progress: &ProgressBar, sink: S) -> Result<()>
where
    I: Iterator<Item = Result<Answer>> + Send,
    T: Send,
    W: Fn(Answer) -> T + Sync,
    S: FnMut(T) -> Result<()>,
{
    run(
        answers,
        |chunk: Vec<Answer>| (chunk.into_par_iter().map(&work).collect(), None),
        progress,
        sink,
    )
}

/// [`map_in_order`] for a `work` that only reads the answers: once a chunk is worked on, its
/// answers go back to the reader thread to be freed there, by the thread that allocated them
/// (freed on another thread, each of their strings went through the allocator's slower
/// cross-thread path and its page's list of remote frees).
pub fn map_refs_in_order<I, T, W, S>(
    answers: I,
    work: W,
    progress: &ProgressBar,
    sink: S,
) -> Result<()>
where
    I: Iterator<Item = Result<Answer>> + Send,
    T: Send,
    W: Fn(&Answer) -> T + Sync,
    S: FnMut(T) -> Result<()>,
{
    run(
        answers,
        |chunk: Vec<Answer>| (chunk.par_iter().map(&work).collect(), Some(chunk)),
        progress,
        sink,
    )
}

/// The pipeline of [`map_in_order`]: `work` turns a chunk into its results and, optionally,
/// gives the chunk back for the reader thread to drop.
fn run<I, T, W, S>(answers: I, work: W, progress: &ProgressBar, mut sink: S) -> Result<()>
where
    I: Iterator<Item = Result<Answer>> + Send,
    T: Send,
    W: Fn(Vec<Answer>) -> (Vec<T>, Option<Vec<Answer>>) + Sync,
    S: FnMut(T) -> Result<()>,
{
    std::thread::scope(|scope| {
        let (chunk_sender, chunks) = sync_channel::<Result<Vec<Answer>>>(CHUNKS_IN_FLIGHT);
        let (result_sender, results) = sync_channel::<Result<Vec<T>>>(CHUNKS_IN_FLIGHT);
        // Chunks worked on, back to the reader; at most one per chunk sent, so few wait.
        let (spent_sender, spent) = channel::<Vec<Answer>>();
        scope.spawn(move || {
            let mut answers = answers;
            loop {
                // Free the answers worked on since the last chunk, here where they were made.
                while let Ok(chunk) = spent.try_recv() {
                    drop(chunk);
                }
                // Sized up front: grown by collect, the vector was reallocated several times
                // a chunk, each time on fresh pages.
                let mut read = Vec::with_capacity(CHUNK);
                let mut failure = None;
                for answer in answers.by_ref().take(CHUNK) {
                    match answer {
                        Ok(answer) => read.push(answer),
                        Err(err) => {
                            failure = Some(err);
                            break;
                        }
                    }
                }
                let done = failure.is_some() || read.len() < CHUNK;
                // The answers read before an error go first, then the error. A closed channel
                // means a later stage stopped on an error: stop reading.
                if !read.is_empty() && chunk_sender.send(Ok(read)).is_err() {
                    break;
                }
                if let Some(err) = failure {
                    let _ = chunk_sender.send(Err(err));
                }
                if done {
                    break;
                }
            }
        });
        let work = &work;
        scope.spawn(move || {
            for chunk in chunks {
                let results = chunk.map(|chunk| {
                    let (results, spent) = work(chunk);
                    // Once the reader has stopped, the chunk is dropped here.
                    if let Some(chunk) = spent {
                        let _ = spent_sender.send(chunk);
                    }
                    results
                });
                if result_sender.send(results).is_err() {
                    break;
                }
            }
        });
        for results in results {
            let results = results?;
            progress.inc(results.len() as u64);
            for result in results {
                sink(result)?;
            }
        }
        Ok(())
    })
}
