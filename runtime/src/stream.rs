//! A result that is a stream (`Edm.Stream`, such as a report's bytes): [`ByteStream`], read as
//! it arrives, a chunk at a time, so that memory holds one chunk, never the whole body.

use std::fmt;

use bytes::Bytes;

use crate::error::{Error, TransportError};

/// The bytes of an `Edm.Stream` result (a report, a file's content …), as they arrive, with the
/// content type the service gave them: declare `returns = ByteStream` on the action or function.
///
/// Nothing is buffered beyond the chunk being read; [`next_chunk`](Self::next_chunk) reads the
/// next one, [`write_to`](Self::write_to) copies them all to a writer (a file), and
/// [`to_vec`](Self::to_vec) gathers them up to a limit. The request was answered and will not be
/// sent again: a connection lost while the bytes arrive is the error of the chunk it cut.
///
/// ```no_run
/// use graph_entity_runtime::client::ByteStream;
/// ///
/// // Into a file, or anything else that takes bytes.
/// async fn save<W>(mut report: ByteStream, file: &mut W) -> std::io::Result<u64>
/// where
///     W: tokio::io::AsyncWrite + Unpin,
/// {
///     println!("{}", report.content_type().unwrap_or("application/octet-stream"));
///     report.write_to(file).await
/// }
/// ```
pub struct ByteStream {
    response: reqwest::Response,
    content_type: Option<String>,
    received: u64,
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ByteStream { response, content_type, received: 0 }
    }

    /// The content type the service gave the bytes (`Content-Type`), such as
    /// `application/octet-stream`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// How many bytes the service said it would send (`Content-Length`), when it said.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// How many bytes were read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next chunk of bytes: `None` after the last one.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the connection fails while the bytes arrive.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        match self.response.chunk().await {
            Ok(Some(chunk)) => {
                self.received += chunk.len() as u64;
                Some(Ok(chunk))
            }
            Ok(None) => None,
            Err(error) => Some(Err(Error::Transport(TransportError::new(error)))),
        }
    }

    /// Copies every chunk to `writer` as it arrives, as `tokio::io::copy` would; the bytes
    /// written.
    ///
    /// # Errors
    ///
    /// The writer's error, or the [`Error`] of the connection failing while the bytes arrive
    /// (`std::io::Error::other`, which `get_ref` and `into_inner` give back).
    pub async fn write_to<W>(&mut self, writer: &mut W) -> std::io::Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt as _;
        let mut written = 0;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk.map_err(std::io::Error::other)?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Every byte, in memory, when there are at most `limit` of them.
    ///
    /// # Errors
    ///
    /// [`Error::ResponseTooLarge`] past `limit` (what was read is dropped), [`Error::Transport`]
    /// when the connection fails.
    pub async fn to_vec(mut self, limit: usize) -> Result<Vec<u8>, Error> {
        let status = self.response.status().as_u16();
        let too_large = Error::ResponseTooLarge { status, limit };
        if self.content_length().is_some_and(|length| length > limit as u64) {
            return Err(too_large);
        }
        let mut all = Vec::new();
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            if all.len() + chunk.len() > limit {
                return Err(too_large);
            }
            all.extend_from_slice(&chunk);
        }
        Ok(all)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.response.status().as_u16())
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length())
            .field("received", &self.received)
            .finish()
    }
}
