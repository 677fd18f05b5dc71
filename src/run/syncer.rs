//! Background fsync of finished cache files.
//!
//! Why it exists: every extracted input's cache file must be durable before the run records
//! state that points to it, but one fsync waits milliseconds for the disk. Done on the thread
//! that receives pages in input order, a run over 1,500 inputs spent seconds there with no page
//! delivered (and the workers stalled once the in-flight window filled). Finished files are
//! handed to a few threads that sync them concurrently (a disk serves concurrent flushes
//! together); the run waits for all of them, and fails on the first error, before it writes
//! anything that refers to the files.

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::thread::JoinHandle;

/// Files handed over and not yet synced, at most (bounds the open file handles).
const PENDING: usize = 64;

/// A small pool of threads that fsync the files given to [`Syncer::sync`].
pub struct Syncer {
    tx: Option<crossbeam_channel::Sender<(PathBuf, File)>>,
    threads: Vec<JoinHandle<Option<(PathBuf, io::Error)>>>,
}

impl Syncer {
    /// Starts `threads` syncing threads (at least one).
    pub fn new(threads: usize) -> Syncer {
        let (tx, rx) = crossbeam_channel::bounded::<(PathBuf, File)>(PENDING);
        let threads = (0..threads.max(1))
            .map(|_| {
                let rx = rx.clone();
                std::thread::spawn(move || {
                    let mut first_error = None;
                    for (path, f) in rx.iter() {
                        if let Err(e) = f.sync_all() {
                            first_error.get_or_insert((path, e));
                        }
                    }
                    first_error
                })
            })
            .collect();
        Syncer {
            tx: Some(tx),
            threads,
        }
    }

    /// Queues `file` (written at `path`) to be synced; waits while too many are pending. After
    /// [`Syncer::wait`] (or when the threads are gone) the file is synced here instead.
    pub fn sync(&self, path: PathBuf, file: File) -> io::Result<()> {
        match &self.tx {
            Some(tx) => match tx.send((path, file)) {
                Ok(()) => Ok(()),
                Err(crossbeam_channel::SendError((_, f))) => f.sync_all(),
            },
            None => file.sync_all(),
        }
    }

    /// Waits until every queued file is synced; the first error (with its file) if any failed.
    pub fn wait(&mut self) -> Result<(), (PathBuf, io::Error)> {
        self.tx = None;
        let mut first = None;
        for t in self.threads.drain(..) {
            let err = t.join().unwrap_or_else(|_| {
                Some((PathBuf::new(), io::Error::other("fsync thread panicked")))
            });
            if first.is_none() {
                first = err;
            }
        }
        first.map_or(Ok(()), Err)
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        let _ = self.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn syncs_every_file_and_waits() {
        let d = tempfile::tempdir().unwrap();
        let mut s = Syncer::new(3);
        for i in 0..100 {
            let p = d.path().join(format!("f{i}"));
            let mut f = File::create(&p).unwrap();
            f.write_all(&[b'x'; 100]).unwrap();
            s.sync(p, f).unwrap();
        }
        assert!(s.wait().is_ok());
        // after waiting, files are synced inline
        let p = d.path().join("late");
        s.sync(p.clone(), File::create(&p).unwrap()).unwrap();
        assert!(s.wait().is_ok());
        for i in 0..100 {
            assert_eq!(
                std::fs::read(d.path().join(format!("f{i}"))).unwrap().len(),
                100
            );
        }
    }
}
