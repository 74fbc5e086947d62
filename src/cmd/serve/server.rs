//! The preview's HTTP connections, made to survive hostile and careless clients.
//!
//! Three kinds of thread, none of them one per connection:
//! - the acceptor takes new connections and never stops, whatever `accept` says (a full file table
//!   makes it shed the oldest unfinished request, not die);
//! - the gatekeeper holds every connection whose request head is still arriving, without blocking
//!   on any: a client that sends half a request line and stalls costs a buffer and a socket, not a
//!   thread, is dropped after [`HEAD_TIMEOUT`], and the oldest is dropped when [`MAX_PENDING`] are
//!   waiting;
//! - [`WORKERS`] workers answer whole requests from a queue of [`QUEUE`]; a request that finds the
//!   queue full waits in the gatekeeper up to [`QUEUE_WAIT`], then gets `503`.
//!
//! Event streams (live reload) are handed back after their first bytes and held in [`EventStreams`],
//! at most [`MAX_STREAMS`], written without blocking; they hold no thread.
//!
//! Each connection carries one request (`Connection: close`): a local preview loses nothing by it,
//! and no idle keep-alive connection can hold a worker.

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Threads that answer requests.
pub const WORKERS: usize = 8;
/// Whole requests that may wait for a worker.
pub const QUEUE: usize = 64;
/// How long a whole request may wait for room in the queue before it gets `503`.
pub const QUEUE_WAIT: Duration = Duration::from_secs(1);
/// Connections whose request head is still arriving; past this the oldest is dropped.
pub const MAX_PENDING: usize = 128;
/// How long a client has to send its whole request head. Browsers send it at once.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest request head accepted; a longer one gets `431`.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long one write to a client may block, and how long a whole response may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
const RESPONSE_DEADLINE: Duration = Duration::from_secs(30);
/// Open event streams; a new one beyond this closes the oldest (its page reconnects by itself).
pub const MAX_STREAMS: usize = 64;

/// One request head, parsed.
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    /// The `Host` header, when there was one.
    pub host: Option<String>,
}

/// What to send back.
pub enum Reply {
    /// A whole response.
    Response {
        /// The status code.
        status: u16,
        /// Headers besides `Content-Length` and `Connection`.
        headers: Vec<(&'static str, String)>,
        /// The body (not sent for `HEAD`).
        body: Vec<u8>,
    },
    /// Start an event stream on this connection and keep it in [`EventStreams`].
    Events,
}

impl Reply {
    /// A plain-text response.
    pub fn text(status: u16, message: &str) -> Reply {
        Reply::Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
            body: message.as_bytes().to_vec(),
        }
    }
}

/// Answers one request.
pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// The open event streams, written without blocking.
pub struct EventStreams {
    streams: Mutex<VecDeque<TcpStream>>,
}

impl EventStreams {
    /// No streams yet.
    pub fn new() -> EventStreams {
        EventStreams { streams: Mutex::new(VecDeque::new()) }
    }

    /// Sends `data: <event>` to every stream.
    pub fn send(&self, event: &str) {
        self.write_all(&format!("data: {event}\n\n"));
    }

    /// Sends a comment, so that streams whose client went away are noticed and closed.
    pub fn keep_alive(&self) {
        self.write_all(": keep-alive\n\n");
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<TcpStream>> {
        self.streams.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn add(&self, stream: TcpStream) {
        if stream.set_nonblocking(true).is_err() {
            return;
        }
        let mut streams = self.lock();
        while streams.len() >= MAX_STREAMS {
            if let Some(oldest) = streams.pop_front() {
                let _ = oldest.shutdown(Shutdown::Both);
            }
        }
        streams.push_back(stream);
    }

    /// Writes `message` to every stream; a stream that cannot take all of it at once (gone, or not
    /// reading) is closed rather than waited for, and its page reconnects if it is still open.
    fn write_all(&self, message: &str) {
        self.lock().retain_mut(|stream| match stream.write(message.as_bytes()) {
            Ok(n) if n == message.len() => true,
            _ => {
                let _ = stream.shutdown(Shutdown::Both);
                false
            }
        });
    }
}

/// What the acceptor tells the gatekeeper.
enum Arrival {
    Connection(TcpStream),
    /// The process is out of file descriptors: drop the oldest unfinished request.
    Shed,
}

/// A connection whose request head is still arriving, or whose request waits for room in the queue.
struct Pending {
    stream: TcpStream,
    head: Vec<u8>,
    since: Instant,
    /// The request once its head is whole, and since when it has waited for the queue.
    request: Option<(Request, Instant)>,
}

/// A whole request waiting for a worker.
struct Job {
    stream: TcpStream,
    request: Request,
}

/// Starts the acceptor, the gatekeeper and the workers on `listener`; returns once they run.
/// Errors only when a thread cannot be started.
pub fn start(
    listener: TcpListener,
    handler: Arc<Handler>,
    streams: Arc<EventStreams>,
) -> std::io::Result<()> {
    let (arrivals, arrived) = mpsc::channel::<Arrival>();
    let (jobs, queued) = mpsc::sync_channel::<Job>(QUEUE);
    let queued = Arc::new(Mutex::new(queued));
    for n in 0..WORKERS {
        let queued = queued.clone();
        let handler = handler.clone();
        let streams = streams.clone();
        std::thread::Builder::new()
            .name(format!("serve-worker-{n}"))
            .spawn(move || work(&queued, &*handler, &streams))?;
    }
    std::thread::Builder::new().name("serve-gatekeeper".into()).spawn(move || gatekeep(&arrived, &jobs))?;
    std::thread::Builder::new().name("serve-accept".into()).spawn(move || accept(&listener, &arrivals))?;
    std::thread::Builder::new().name("serve-keep-alive".into()).spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(15));
            streams.keep_alive();
        }
    })?;
    Ok(())
}

fn accept(listener: &TcpListener, arrivals: &mpsc::Sender<Arrival>) {
    loop {
        let arrival = match listener.accept() {
            Ok((stream, _)) => Arrival::Connection(stream),
            // A client that gave up before its connection was taken needs nothing.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Interrupted | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
                ) =>
            {
                continue;
            }
            Err(_) => {
                // Out of file descriptors (EMFILE, ENFILE) or buffers, most likely: free one by
                // dropping the oldest unfinished request, and try again shortly. Never give up:
                // an acceptor that stops leaves the port dead.
                std::thread::sleep(Duration::from_millis(10));
                Arrival::Shed
            }
        };
        if arrivals.send(arrival).is_err() {
            return;
        }
    }
}

fn gatekeep(arrived: &Receiver<Arrival>, jobs: &SyncSender<Job>) {
    let mut pending: VecDeque<Pending> = VecDeque::new();
    // How long to wait for news before reading the pending connections again: short just after
    // progress, longer while every client is silent.
    let mut pause = Duration::from_millis(1);
    loop {
        let first = if pending.is_empty() {
            arrived.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            arrived.recv_timeout(pause)
        };
        let mut progress = false;
        let mut next = first;
        loop {
            match next {
                Ok(Arrival::Connection(stream)) => {
                    if stream.set_nonblocking(true).is_ok() {
                        if pending.len() >= MAX_PENDING {
                            pending.pop_front();
                        }
                        pending.push_back(Pending {
                            stream,
                            head: Vec::new(),
                            since: Instant::now(),
                            request: None,
                        });
                        progress = true;
                    }
                }
                Ok(Arrival::Shed) => {
                    pending.pop_front();
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            match arrived.try_recv() {
                Ok(arrival) => next = Ok(arrival),
                Err(_) => break,
            }
        }
        let mut still = VecDeque::with_capacity(pending.len());
        // In arrival order, so that requests waiting for the queue get it first come, first served.
        for mut connection in pending.drain(..) {
            if connection.request.is_none() {
                match read_head(&mut connection) {
                    HeadState::Waiting => {
                        still.push_back(connection);
                        continue;
                    }
                    HeadState::Closed => continue,
                    HeadState::Whole(end) => {
                        progress = true;
                        match parse_head(&connection.head[..end]) {
                            Ok(request) => connection.request = Some((request, Instant::now())),
                            Err(status) => {
                                refuse_now(connection.stream, status);
                                continue;
                            }
                        }
                    }
                    HeadState::TooLong => {
                        refuse_now(connection.stream, 431);
                        continue;
                    }
                    HeadState::TimedOut => {
                        refuse_now(connection.stream, 408);
                        continue;
                    }
                }
            }
            let Pending { stream, head, since, request } = connection;
            let Some((request, whole_since)) = request else { continue };
            match jobs.try_send(Job { stream, request }) {
                Ok(()) => progress = true,
                Err(TrySendError::Full(job)) if whole_since.elapsed() < QUEUE_WAIT => {
                    still.push_back(Pending {
                        stream: job.stream,
                        head,
                        since,
                        request: Some((job.request, whole_since)),
                    });
                }
                Err(TrySendError::Full(job)) => refuse_now(job.stream, 503),
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
        pending = still;
        pause = if progress { Duration::from_millis(1) } else { (pause * 2).min(Duration::from_millis(20)) };
    }
}

enum HeadState {
    Waiting,
    Closed,
    /// The head is whole and ends at this offset.
    Whole(usize),
    TooLong,
    TimedOut,
}

fn read_head(connection: &mut Pending) -> HeadState {
    let mut buffer = [0u8; 4096];
    loop {
        match connection.stream.read(&mut buffer) {
            Ok(0) => return HeadState::Closed,
            Ok(n) => {
                let searched_from = connection.head.len().saturating_sub(3);
                connection.head.extend_from_slice(&buffer[..n]);
                match head_end(&connection.head, searched_from) {
                    Some(end) if end <= MAX_HEAD => return HeadState::Whole(end),
                    Some(_) => return HeadState::TooLong,
                    None => {}
                }
                if connection.head.len() > MAX_HEAD {
                    return HeadState::TooLong;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                return if connection.since.elapsed() > HEAD_TIMEOUT {
                    HeadState::TimedOut
                } else {
                    HeadState::Waiting
                };
            }
            Err(_) => return HeadState::Closed,
        }
    }
}

/// Where the head ends (after its blank line), searching from `from`; bare `\n` line ends count.
fn head_end(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find_map(|i| {
        if bytes[i..].starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else if bytes[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

/// The request in a whole head, or the status to refuse it with.
fn parse_head(head: &[u8]) -> Result<Request, u16> {
    let text = std::str::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().ok_or(400u16)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/") {
        return Err(400);
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(505);
    }
    if method.is_empty() || !target.starts_with('/') {
        return Err(400);
    }
    let mut host = None;
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(400u16)?;
        if name.eq_ignore_ascii_case("host") {
            // Two Host headers could be read differently by two readers: refuse (RFC 9112 3.2).
            if host.is_some() {
                return Err(400);
            }
            host = Some(value.trim().to_owned());
        }
    }
    Ok(Request { method: method.to_owned(), target: target.to_owned(), host })
}

/// Sends a short refusal on a non-blocking connection, without waiting, and closes it. A fresh
/// connection's send buffer always has room for these few bytes.
fn refuse_now(mut stream: TcpStream, status: u16) {
    let retry = if status == 503 { "Retry-After: 1\r\n" } else { "" };
    let message = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: 0\r\n{retry}Connection: close\r\n\r\n",
        reason(status)
    );
    let _ = stream.write(message.as_bytes());
    let _ = stream.shutdown(Shutdown::Both);
}

fn work(queued: &Mutex<Receiver<Job>>, handler: &Handler, streams: &EventStreams) {
    loop {
        let job = {
            let queued = queued.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match queued.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        let Job { mut stream, request } = job;
        if stream.set_nonblocking(false).is_err() || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
            continue;
        }
        // A handler that panics must cost its request, not a worker.
        let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
            .unwrap_or_else(|_| Reply::text(500, "The preview failed to answer this request."));
        match reply {
            Reply::Events => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                            Connection: close\r\n\r\nretry: 300\n: connected\n\n";
                if stream.write_all(head.as_bytes()).and_then(|()| stream.flush()).is_ok() {
                    streams.add(stream);
                }
            }
            Reply::Response { status, headers, body } => {
                let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
                let body = if request.method == "HEAD" { &[][..] } else { &body[..] };
                let _ = write_response(&mut stream, head.as_bytes(), body);
                let _ = stream.shutdown(Shutdown::Write);
            }
        }
    }
}

/// Writes a response, giving up when the client reads it too slowly to finish in
/// [`RESPONSE_DEADLINE`], so that a client reading a byte now and then cannot keep a worker.
fn write_response(stream: &mut TcpStream, head: &[u8], body: &[u8]) -> std::io::Result<()> {
    let started = Instant::now();
    stream.write_all(head)?;
    for chunk in body.chunks(64 * 1024) {
        if started.elapsed() > RESPONSE_DEADLINE {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.write_all(chunk)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_and_bad_ones_refused() {
        let head = b"GET /a?b HTTP/1.1\r\nHost: localhost:8000\r\nAccept: */*\r\n\r\n";
        assert_eq!(head_end(head, 0), Some(head.len()));
        let request = parse_head(head).unwrap();
        assert_eq!((request.method.as_str(), request.target.as_str()), ("GET", "/a?b"));
        assert_eq!(request.host.as_deref(), Some("localhost:8000"));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHo", 0), None);
        assert_eq!(head_end(b"GET / HTTP/1.0\n\n", 0), Some(16));
        for (bad, status) in [
            (&b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"[..], 400),
            (b"GET http://evil/ HTTP/1.1\r\n\r\n", 400),
            (b"GET / HTTP/2.0\r\n\r\n", 505),
            (b"GET /\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nno colon\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: \xff\r\n\r\n", 400),
        ] {
            assert_eq!(parse_head(bad).err(), Some(status), "{}", String::from_utf8_lossy(bad));
        }
    }
}
