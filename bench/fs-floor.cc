// fs-floor: the file-system work of one modpost run and nothing else, to show the
// least wall time any implementation can reach on this machine.
//
// Usage: fs-floor THREADS LISTFILE
//   LISTFILE lines: "r PATH" (open, fstat, read whole, close) or "w PATH SIZE" (open
//   O_CREAT|O_TRUNC, write SIZE bytes, close).  The lines are split into THREADS
//   contiguous ranges run in parallel (the order a parallel tool could use).  No parsing,
//   no hashing, no temp-file dance: a lower bound, not a tool.  Made by
//   bench/fs-floor-list.py from an strace of the real modpost.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {
struct Op {
  bool write;
  std::string path;
  std::size_t size;
};

void run(const std::vector<Op>& ops, std::size_t begin, std::size_t end) {
  std::vector<char> buf(1 << 20);
  std::string zeros;
  for (std::size_t i = begin; i < end; ++i) {
    const Op& op = ops[i];
    if (op.write) {
      int fd = ::open(op.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (fd < 0) { std::perror(op.path.c_str()); continue; }
      if (zeros.size() < op.size) zeros.resize(op.size, 'x');
      if (::write(fd, zeros.data(), op.size) < 0) std::perror(op.path.c_str());
      ::close(fd);
      continue;
    }
    int fd = ::open(op.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st;
    ::fstat(fd, &st);
    if (buf.size() < static_cast<std::size_t>(st.st_size)) buf.resize(st.st_size);
    std::size_t got = 0;
    while (got < static_cast<std::size_t>(st.st_size)) {
      ssize_t n = ::read(fd, buf.data() + got, st.st_size - got);
      if (n <= 0) break;
      got += n;
    }
    ::close(fd);
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fs-floor THREADS LISTFILE\n");
    return 2;
  }
  const unsigned threads = std::stoul(argv[1]);
  std::ifstream in(argv[2]);
  std::vector<Op> ops;
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    char kind;
    Op op{};
    ls >> kind >> op.path;
    op.write = kind == 'w';
    if (op.write) ls >> op.size;
    ops.push_back(std::move(op));
  }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back(run, std::cref(ops), ops.size() * t / threads, ops.size() * (t + 1) / threads);
  for (auto& th : pool) th.join();
  return 0;
}
