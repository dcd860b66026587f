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
#include <unordered_map>
#include <utility>

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

using Carry = ObjectMirror::Carry;

// A request: the trampoline's address (valid in the worker, a fork of this very
// program), the callable's bytes, then the arguments as ObjectMirror writes them.
bool WriteRequest(int fd, const IsolatedCall &call, const ArgumentBytes &args,
                  ObjectMirror &mirror) {
  return WriteAll(fd, &call.trampoline, sizeof call.trampoline) &&
         WriteString(fd, call.Callable()) && mirror.WriteArguments(fd, args);
}

// Sends a request and reads the answer; false when the other process is gone.
bool Exchange(int fd, const IsolatedCall &call, const ArgumentBytes &args,
              ObjectMirror &mirror, uint8_t &ok, std::string &reply) {
  return WriteRequest(fd, call, args, mirror) && ReadAll(fd, &ok, sizeof ok) &&
         ReadString(fd, reply);
}

// The process's side of ObjectMirror: the objects it keeps, each an entry of its
// own so that `const T&` parameters share one decoded value.
class ObjectCache {
 public:
  // Reads one request's evictions and arguments; false on a broken socket or a
  // request that names an object this process does not keep.
  bool ReadArguments(int fd, std::vector<std::string> &inline_values,
                     ArgumentBytes &args) {
    uint64_t count = 0;
    if (!ReadAll(fd, &count, sizeof count)) return false;
    std::string id;
    for (uint64_t i = 0; i < count; ++i) {
      if (!ReadString(fd, id)) return false;
      kept_.erase(id);
    }
    if (!ReadAll(fd, &count, sizeof count)) return false;
    // Inline values are read first and viewed after, so that the views stay valid.
    std::vector<std::pair<Carry, ObjectEntry *>> carried(count);
    inline_values.clear();
    inline_values.reserve(count);
    for (auto &[carry, entry] : carried) {
      entry = nullptr;
      if (!ReadAll(fd, &carry, sizeof carry)) return false;
      if (carry == Carry::kBytes) {
        inline_values.emplace_back();
        if (!ReadString(fd, inline_values.back())) return false;
        continue;
      }
      if (!ReadString(fd, id)) return false;
      if (carry == Carry::kStore) {
        std::string bytes;
        if (!ReadString(fd, bytes)) return false;
        auto &kept = kept_[id];
        kept = std::make_shared<ObjectEntry>();
        kept->SetValue(std::move(bytes));
        entry = kept.get();
        continue;
      }
      auto found = kept_.find(id);
      if (found == kept_.end()) return false;
      entry = found->second.get();
    }
    args.clear();
    size_t next_inline = 0;
    for (const auto &[carry, entry] : carried) {
      args.push_back(entry != nullptr
                         ? ArgumentView{nullptr, entry}
                         : ArgumentView{&inline_values[next_inline++], nullptr});
    }
    return true;
  }

 private:
  std::unordered_map<std::string, std::shared_ptr<ObjectEntry>> kept_;
};

// The worker's side: runs requests until the driver closes the socket. Output a task
// prints goes nowhere, as a cluster worker's goes to its log, not the program's output.
[[noreturn]] void ServeRequests(int fd) {
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, STDOUT_FILENO);
  ObjectCache cache;
  std::vector<std::string> inline_values;
  ArgumentBytes args;
  while (true) {
    Trampoline trampoline = nullptr;
    std::string callable;
    if (!ReadAll(fd, &trampoline, sizeof trampoline) || !ReadString(fd, callable) ||
        !cache.ReadArguments(fd, inline_values, args)) {
      _exit(0);
    }
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

// Passes `fd` and a number over the Unix socket `socket`.
bool SendDescriptor(int socket, int fd, int32_t number) {
  char control[CMSG_SPACE(sizeof(int))] = {};
  iovec data{&number, sizeof number};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  cmsghdr *header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
  ssize_t sent;
  do {
    sent = sendmsg(socket, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  return sent == static_cast<ssize_t>(sizeof number);
}

// The descriptor SendDescriptor passed (-1 when none came) and its number.
int ReceiveDescriptor(int socket, int32_t &number) {
  char control[CMSG_SPACE(sizeof(int))] = {};
  iovec data{&number, sizeof number};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t received;
  do {
    received = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
  } while (received < 0 && errno == EINTR);
  cmsghdr *header = CMSG_FIRSTHDR(&message);
  if (received != static_cast<ssize_t>(sizeof number) || header == nullptr ||
      header->cmsg_type != SCM_RIGHTS) {
    return -1;
  }
  int fd;
  std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
  return fd;
}

// The zygote: a copy of the driver from before any runtime thread. For each byte the
// driver sends, it forks an actor process and hands the driver that process's socket.
// Its children are reaped by the kernel (SIGCHLD ignored); it ends with the driver's
// socket.
[[noreturn]] void ServeZygote(int fd) {
  signal(SIGCHLD, SIG_IGN);
  char request;
  while (ReadAll(fd, &request, 1)) {
    int pair[2];
    int32_t error = 0;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
      error = errno;
      pair[0] = pair[1] = -1;
    }
    pid_t pid = error == 0 ? fork() : -1;
    if (error == 0 && pid < 0) error = errno;
    if (pid == 0) {
      close(fd);
      close(pair[0]);
      ServeRequests(pair[1]);
    }
    if (pair[1] >= 0) close(pair[1]);
    // An error is sent as a negative number with this socket's own end, so that a
    // message always carries a descriptor.
    bool sent =
        error == 0 ? SendDescriptor(fd, pair[0], 0) : SendDescriptor(fd, fd, -error);
    if (pair[0] >= 0) close(pair[0]);
    if (!sent) break;
  }
  _exit(0);
}

}  // namespace

size_t ObjectMirror::BudgetFromEnvironment() {
  const char *value = std::getenv("RAYIFY_WORKER_OBJECT_BYTES");
  if (value == nullptr || *value == '\0') return kDefaultBudget;
  char *end = nullptr;
  unsigned long long budget = std::strtoull(value, &end, 10);
  if (*end != '\0') {
    throw std::runtime_error(
        std::string("RAYIFY_WORKER_OBJECT_BYTES is not a byte count: ") + value);
  }
  return static_cast<size_t>(budget);
}

ObjectMirror::Held *ObjectMirror::Find(const std::string &id) {
  for (Held &held : held_) {
    if (held.id == id) return &held;
  }
  return nullptr;
}

// Decides how each argument travels and which kept objects go first; returns the ids
// to evict and fills `carries`.
std::vector<std::string> ObjectMirror::Plan(const ArgumentBytes &args,
                                            std::vector<Carry> &carries) {
  std::vector<std::string> evicted;
  auto evict = [&](std::vector<Held>::iterator it) {
    evicted.push_back(it->id);
    bytes_ -= it->size;
    return held_.erase(it);
  };
  for (auto it = held_.begin(); it != held_.end();) {
    it = it->entry.expired() ? evict(it) : it + 1;
  }
  const uint64_t now = ++clock_;
  carries.assign(args.size(), Carry::kBytes);
  for (size_t i = 0; i < args.size(); ++i) {
    const ArgumentView &arg = args[i];
    size_t size = arg.Bytes().size();
    if (arg.entry == nullptr || size < kMinBytes || size > budget_) continue;
    if (Held *held = Find(arg.entry->Id())) {
      held->last_use = now;
      carries[i] = Carry::kHeld;
      continue;
    }
    // Room comes from the least recently used objects this request does not pass.
    while (bytes_ + size > budget_) {
      auto oldest = held_.end();
      for (auto it = held_.begin(); it != held_.end(); ++it) {
        if (it->last_use < now &&
            (oldest == held_.end() || it->last_use < oldest->last_use)) {
          oldest = it;
        }
      }
      if (oldest == held_.end()) break;
      evict(oldest);
    }
    if (bytes_ + size > budget_) continue;
    held_.push_back(Held{arg.entry->Id(), arg.entry->weak_from_this(), size, now});
    bytes_ += size;
    carries[i] = Carry::kStore;
  }
  return evicted;
}

bool ObjectMirror::WriteArguments(int fd, const ArgumentBytes &args) {
  std::vector<Carry> carries;
  std::vector<std::string> evicted = Plan(args, carries);
  uint64_t count = evicted.size();
  if (!WriteAll(fd, &count, sizeof count)) return false;
  for (const std::string &id : evicted) {
    if (!WriteString(fd, id)) return false;
  }
  count = args.size();
  if (!WriteAll(fd, &count, sizeof count)) return false;
  for (size_t i = 0; i < args.size(); ++i) {
    Carry carry = carries[i];
    if (!WriteAll(fd, &carry, sizeof carry)) return false;
    bool written = carry == Carry::kBytes   ? WriteString(fd, args[i].Bytes())
                   : carry == Carry::kStore ? WriteString(fd, args[i].entry->Id()) &&
                                                  WriteString(fd, args[i].Bytes())
                                            : WriteString(fd, args[i].entry->Id());
    if (!written) return false;
  }
  return true;
}

ActorProcess::~ActorProcess() { close(fd_); }

std::string ActorProcess::Run(const IsolatedCall &call, const ArgumentBytes &args) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint8_t ok = 0;
  std::string reply;
  if (!Exchange(fd_, call, args, mirror_, ok, reply)) {
    throw ActorProcessDied("the actor's process died");
  }
  if (!ok) throw std::runtime_error(reply);
  return reply;
}

std::unique_ptr<ActorProcess> WorkerPool::SpawnActor() {
  std::lock_guard<std::mutex> lock(zygote_mutex_);
  char request = 1;
  int32_t number = 0;
  int fd = -1;
  if (zygote_.fd >= 0 && WriteAll(zygote_.fd, &request, 1)) {
    fd = ReceiveDescriptor(zygote_.fd, number);
  }
  if (fd < 0) throw std::runtime_error("the process that starts actors has died");
  if (number < 0) {
    close(fd);
    throw std::runtime_error(std::string("cannot start an actor's process: ") +
                             std::strerror(-number));
  }
  return std::make_unique<ActorProcess>(fd, object_budget_);
}

WorkerPool::WorkerPool(int size, size_t object_budget) : object_budget_(object_budget) {
  int zygote_fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, zygote_fds) != 0) {
    throw std::runtime_error(std::string("cannot create a socket: ") +
                             std::strerror(errno));
  }
  zygote_.pid = fork();
  if (zygote_.pid < 0) {
    throw std::runtime_error(std::string("cannot fork: ") + std::strerror(errno));
  }
  if (zygote_.pid == 0) {
    close(zygote_fds[0]);
    ServeZygote(zygote_fds[1]);
  }
  close(zygote_fds[1]);
  zygote_.fd = zygote_fds[0];
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
      // The sockets of the zygote and the workers forked before this one belong to
      // the driver.
      close(zygote_.fd);
      for (const Worker &other : workers_) close(other.fd);
      ServeRequests(fds[1]);
    }
    close(fds[1]);
    workers_.push_back(Worker{pid, fds[0], false, ObjectMirror(object_budget)});
  }
}

WorkerPool::~WorkerPool() {
  workers_.push_back(zygote_);  // closed and reaped like a worker
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
  if (!Exchange(worker.fd, call, args, worker.mirror, ok, reply)) {
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
  return std::make_unique<WorkerPool>(cpus < 1 ? 1 : (cpus > 64 ? 64 : cpus),
                                      ObjectMirror::BudgetFromEnvironment());
}

}  // namespace internal
}  // namespace ray
