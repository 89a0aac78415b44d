#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "core/atomic_file.h"
#include "core/fd_io.h"
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
  // A file that shrank ends early: the real buffer's rest is never read (the NUL below).
  const ssize_t got = read_up_to(f.fd, t.data.get(), size);
  if (got < 0) report.die(perror_text(path, errno));
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
  return read_up_to(f.fd, old.get(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
         std::string_view(old.get(), bytes.size()) == bytes;
}

}  // namespace

void write_if_changed(Context& cx, const std::string& path, std::string_view bytes) {
  if (!same_content(path, bytes)) write_buf(cx, path, bytes);
}

}  // namespace modforge::modpost
