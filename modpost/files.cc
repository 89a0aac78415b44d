#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "core/atomic_file.h"
#include "modpost/context.h"

namespace modforge::modpost {

namespace {

std::string perror_text(const std::string& path, int err) {
  std::string s = path;
  s += ": ";
  s += std::strerror(err);
  s += '\n';
  return s;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

TextFile read_text_file(Report& report, const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) report.die(perror_text(path, errno));
  struct stat st;
  if (::fstat(f.fd, &st) < 0) report.die(perror_text(path, errno));
  // The real loop reads st_size bytes; a read error (a directory: EISDIR) is fatal.
  const std::size_t size = static_cast<std::size_t>(st.st_size);
  TextFile t;
  t.data.reset(new char[size + 1]);
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(f.fd, t.data.get() + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      report.die(perror_text(path, errno));
    }
    if (n == 0) break;  // the file shrank: the real buffer's rest is never read (the NUL below)
    got += static_cast<std::size_t>(n);
  }
  t.data[got] = '\0';
  t.text = std::string_view(t.data.get(), std::strlen(t.data.get()));
  return t;
}

void write_buf(Context& cx, const std::string& path, std::string_view bytes) {
  if (cx.report.failed()) return;
  try {
    AtomicFile out(path);
    out.append(bytes);
    out.commit();
  } catch (const Error& e) {
    cx.report.die(std::string(e.what()) + "\n");
  }
}

namespace {

bool same_content(const std::string& path, std::string_view bytes) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return false;
  struct stat st;
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) != bytes.size())
    return false;
  std::unique_ptr<char[]> old(new char[bytes.size() + 1]);
  std::size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::read(f.fd, old.get() + got, bytes.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got == bytes.size() && std::string_view(old.get(), got) == bytes;
}

}  // namespace

void write_if_changed(Context& cx, const std::string& path, std::string_view bytes) {
  if (!same_content(path, bytes)) write_buf(cx, path, bytes);
}

}  // namespace modforge::modpost
