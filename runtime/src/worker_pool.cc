#include "worker_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace ray {
namespace internal {
namespace {

// Frames on a worker's socket: integers in host order (both ends are one binary on one
// machine) and strings as a length and the bytes.
bool WriteAll(int fd, const void *data, size_t size) {
  const char *cursor = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = send(fd, cursor, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    cursor += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, void *data, size_t size) {
  char *cursor = static_cast<char *>(data);
  while (size > 0) {
    ssize_t n = read(fd, cursor, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    cursor += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool WriteString(int fd, const std::string &text) {
  uint64_t size = text.size();
  return WriteAll(fd, &size, sizeof size) && WriteAll(fd, text.data(), text.size());
}

bool ReadString(int fd, std::string &text) {
  uint64_t size = 0;
  if (!ReadAll(fd, &size, sizeof size)) return false;
  text.resize(size);
  return ReadAll(fd, text.data(), size);
}

using Trampoline = std::string (*)(const std::string &, const ArgumentBytes &);

// A request: the trampoline's address (valid in the worker, a fork of this very
// program), the callable's bytes and every argument's bytes.
bool WriteRequest(int fd, const IsolatedCall &call, const ArgumentBytes &args) {
  uint64_t count = args.size();
  if (!WriteAll(fd, &call.trampoline, sizeof call.trampoline) ||
      !WriteString(fd, call.callable) || !WriteAll(fd, &count, sizeof count)) {
    return false;
  }
  for (const ArgumentView &arg : args) {
    if (!WriteString(fd, *arg.bytes)) return false;
  }
  return true;
}

// The worker's side: runs requests until the driver closes the socket. Output a task
// prints goes nowhere, as a cluster worker's goes to its log, not the program's output.
[[noreturn]] void ServeRequests(int fd) {
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, STDOUT_FILENO);
  while (true) {
    Trampoline trampoline = nullptr;
    std::string callable;
    uint64_t count = 0;
    if (!ReadAll(fd, &trampoline, sizeof trampoline) || !ReadString(fd, callable) ||
        !ReadAll(fd, &count, sizeof count)) {
      _exit(0);
    }
    std::vector<std::string> values(count);
    for (auto &value : values) {
      if (!ReadString(fd, value)) _exit(0);
    }
    ArgumentBytes args;
    for (const auto &value : values) args.push_back(ArgumentView{&value, nullptr});
    uint8_t ok = 1;
    std::string reply;
    try {
      reply = trampoline(callable, args);
    } catch (const std::exception &e) {
      ok = 0;
      reply = e.what();
    } catch (...) {
      ok = 0;
      reply = "an unknown exception";
    }
    if (!WriteAll(fd, &ok, sizeof ok) || !WriteString(fd, reply)) _exit(0);
  }
}

}  // namespace

WorkerPool::WorkerPool(int size) {
  for (int i = 0; i < size; ++i) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      throw std::runtime_error(std::string("cannot create a worker socket: ") +
                               std::strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
      throw std::runtime_error(std::string("cannot fork a worker: ") +
                               std::strerror(errno));
    }
    if (pid == 0) {
      close(fds[0]);
      // The sockets of the workers forked before this one belong to the driver.
      for (const Worker &other : workers_) close(other.fd);
      ServeRequests(fds[1]);
    }
    close(fds[1]);
    workers_.push_back(Worker{pid, fds[0], false});
  }
}

WorkerPool::~WorkerPool() {
  for (Worker &worker : workers_) {
    if (worker.fd >= 0) close(worker.fd);
    if (worker.pid > 0) {
      int status;
      while (waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
}

WorkerPool::Worker &WorkerPool::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    bool any_alive = false;
    for (Worker &worker : workers_) {
      if (worker.fd < 0) continue;
      any_alive = true;
      if (!worker.busy) {
        worker.busy = true;
        return worker;
      }
    }
    if (!any_alive) throw std::runtime_error("every worker process has died");
    idle_.wait(lock);
  }
}

void WorkerPool::Release(Worker &worker) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    worker.busy = false;
  }
  idle_.notify_one();
}

std::string WorkerPool::Run(const IsolatedCall &call, const ArgumentBytes &args) {
  Worker &worker = Acquire();
  uint8_t ok = 0;
  std::string reply;
  bool answered = WriteRequest(worker.fd, call, args) &&
                  ReadAll(worker.fd, &ok, sizeof ok) && ReadString(worker.fd, reply);
  if (!answered) {
    // The worker died with the task, as a cluster worker can: its task fails.
    int status = 0;
    waitpid(worker.pid, &status, 0);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      close(worker.fd);
      worker.fd = -1;
      worker.pid = -1;
    }
    Release(worker);
    throw std::runtime_error(WIFSIGNALED(status)
                                 ? std::string("the worker process died of ") +
                                       strsignal(WTERMSIG(status))
                                 : "the worker process exited during the task");
  }
  Release(worker);
  if (!ok) throw std::runtime_error(reply);
  return reply;
}

std::unique_ptr<WorkerPool> WorkerPool::FromEnvironment(int cpus) {
  const char *value = std::getenv("RAYIFY_ISOLATED_WORKERS");
  if (value == nullptr || std::strcmp(value, "1") != 0) return nullptr;
  return std::make_unique<WorkerPool>(cpus < 1 ? 1 : (cpus > 64 ? 64 : cpus));
}

}  // namespace internal
}  // namespace ray
