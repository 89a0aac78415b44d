// File descriptor I/O the tools share: writing a whole buffer (the mains, for what the
// libraries collected for standard output and standard error; files, with the error
// checked), reading until a count or the end of the file, a whole file, and a reusable read
// buffer.
#pragma once
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace modforge {

inline void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t w = ::write(fd, s.data(), s.size());
    if (w <= 0) return;  // nowhere left to report it
    s.remove_prefix(static_cast<std::size_t>(w));
  }
}

// The whole buffer, retrying EINTR: true, or false with errno set.  For a file whose write
// error is reported (write_all above has nowhere to report one).
inline bool write_checked(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t w = ::write(fd, s.data(), s.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    s.remove_prefix(static_cast<std::size_t>(w));
  }
  return true;
}

// read() (off < 0) or pread() at `off` until `n` bytes or the end of the file, retrying
// EINTR: the bytes read, or -1 with errno set.
inline ssize_t read_up_to(int fd, char* to, std::size_t n, int64_t off = -1) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = off < 0 ? ::read(fd, to + got, n - got) : ::pread(fd, to + got, n - got, off + off_t(got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

// A whole (small) file into `out` with one read: false when it cannot be opened or read.
// For files read on every run of a tool (the kbuild driver's caches and .cmd files).
inline bool read_whole_file(const char* path, std::string& out) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) {
    out.resize(static_cast<std::size_t>(st.st_size));
    ssize_t got = read_up_to(fd, out.data(), out.size());
    ok = got >= 0;
    if (ok) out.resize(static_cast<std::size_t>(got));
  }
  ::close(fd);
  return ok;
}
inline bool read_whole_file(const std::string& path, std::string& out) { return read_whole_file(path.c_str(), out); }

// Bytes reused from file to file: grown, never zero-filled.
class ReadBuffer {
public:
  // At least n bytes; earlier contents are lost.
  char* get(std::size_t n) {
    if (n > cap_) {
      p_.reset(new char[n]);
      cap_ = n;
    }
    return p_.get();
  }
  // At least n bytes, the first `keep` kept.
  char* grow(std::size_t n, std::size_t keep) {
    if (n > cap_) {
      std::unique_ptr<char[]> q(new char[n]);
      if (keep) std::memcpy(q.get(), p_.get(), keep);
      p_ = std::move(q);
      cap_ = n;
    }
    return p_.get();
  }
  char* data() const { return p_.get(); }
  std::size_t capacity() const { return cap_; }

private:
  std::unique_ptr<char[]> p_;
  std::size_t cap_ = 0;
};

}  // namespace modforge
