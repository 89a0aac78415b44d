#include "core/input.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fd_io.h"

namespace modforge {

std::string errno_message(const std::string& path, int err) {
  // perror() prints no "name: " for an empty name
  return path.empty() ? std::string(std::strerror(err)) : path + ": " + std::strerror(err);
}

Input::Input(Input&& o) noexcept { *this = std::move(o); }

Input& Input::operator=(Input&& o) noexcept {
  if (this != &o) {
    release();
    map_ = o.map_;
    map_len_ = o.map_len_;
    owned_ = std::move(o.owned_);
    view_ = map_ ? o.view_ : std::string_view(owned_);
    o.map_ = nullptr;
    o.map_len_ = 0;
    o.view_ = {};
  }
  return *this;
}

Input::~Input() { release(); }

void Input::release() {
  if (map_) munmap(map_, map_len_);
  map_ = nullptr;
  map_len_ = 0;
}

Input Input::from_fd(int fd, const std::string& name) {
  Input in;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    // Map from the current offset's page; genksyms reads stdin from where it stands.
    off_t off = lseek(fd, 0, SEEK_CUR);
    if (off < 0) off = 0;
    if (off < st.st_size) {
      void* p = mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        in.map_ = p;
        in.map_len_ = static_cast<std::size_t>(st.st_size);
        in.view_ = std::string_view(static_cast<const char*>(p) + off,
                                    static_cast<std::size_t>(st.st_size - off));
        return in;
      }
    } else {
      return in;
    }
  }
  // A pipe: read into an anonymous mapping that grows with mremap, so the pages are moved
  // rather than copied and only what was read is resident.
  std::size_t cap = std::size_t(1) << 20, used = 0;
  void* buf = mmap(nullptr, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buf == MAP_FAILED) throw Error(errno_message(name, errno));
  in.map_ = buf;
  in.map_len_ = cap;
  for (;;) {
    const ssize_t n = read_up_to(fd, static_cast<char*>(buf) + used, cap - used);
    if (n < 0) throw Error(errno_message(name, errno));
    used += static_cast<std::size_t>(n);
    if (used < cap) break;  // the end of the input
    void* grown = mremap(buf, cap, cap * 2, MREMAP_MAYMOVE);
    if (grown == MAP_FAILED) throw Error(errno_message(name, errno));
    buf = grown;
    cap *= 2;
    in.map_ = buf;
    in.map_len_ = cap;
  }
  in.view_ = std::string_view(static_cast<const char*>(buf), used);
  return in;
}

Input Input::from_path(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(errno_message(path, errno));
  try {
    Input in = from_fd(fd, path);
    ::close(fd);
    return in;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

}  // namespace modforge
