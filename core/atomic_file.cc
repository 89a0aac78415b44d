#include "core/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <string>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fd_io.h"

namespace modforge {

namespace {
// A name beside the target no other writer picks: the process id and a counter.
std::string temp_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

void write_or_throw(int fd, std::string_view bytes, const std::string& name) {
  if (!write_checked(fd, bytes)) throw Error(errno_message(name, errno));
}
}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw Error(errno_message(path_, ENOENT));  // as fopen("", "w")
  struct stat st;
  bool exists = ::stat(path_.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) throw Error(errno_message(path_, errno));
    return;
  }
  // A new file gets 0666 less the umask from open() itself, as fopen("w") would create it;
  // a file being replaced keeps its mode.  A new file is written as an unnamed file in its
  // directory and given its name, complete, by linkat() at commit: no temporary name.
  if (!exists) {
    const std::size_t slash = path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd_ >= 0) {
      unnamed_ = true;
      return;
    }
  }
  open_temp();
  if (exists) ::fchmod(fd_, st.st_mode & 07777);
}

void AtomicFile::open_temp() {
  for (int attempt = 0;; ++attempt) {
    tmp_ = temp_name(path_);
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0 || errno != EEXIST || attempt == 100) break;
  }
  if (fd_ < 0) {
    int err = errno;
    tmp_.clear();
    throw Error(errno_message(path_, err));
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

void AtomicFile::commit() {
  write_or_throw(fd_, data_, path_);
  if (unnamed_) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    const bool linked = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path_.c_str(), AT_SYMLINK_FOLLOW) == 0;
    ::close(fd_);
    fd_ = -1;
    if (linked) {
      committed_ = true;
      return;
    }
    // no /proc, or the name appeared meanwhile: the temporary-and-rename way
    unnamed_ = false;
    open_temp();
    write_or_throw(fd_, data_, path_);
  }
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) throw Error(errno_message(path_, errno));
  if (!tmp_.empty() && ::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw Error(errno_message(path_, errno));
  committed_ = true;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  AtomicFile f(path);
  f.append(bytes);
  f.commit();
}

bool write_file_if_changed(const std::string& path, std::string_view bytes) {
  std::string old;
  if (read_whole_file(path, old) && old == bytes) return false;
  write_file_atomic(path, bytes);
  return true;
}

}  // namespace modforge
