#include "emit/Process.h"

#include <fcntl.h>
#include <llvm/Support/Program.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace rayify {
namespace {

// The child RunProcess waits for, negative for its process group, so that a signal
// handler can end it too.
std::atomic<pid_t> running_child{0};

std::string FindProgram(const std::string &name) {
  if (name.find('/') != std::string::npos) return name;
  auto found = llvm::sys::findProgramByName(name);
  if (!found) {
    throw std::runtime_error("cannot run " + name + ": " + found.getError().message());
  }
  return *found;
}

// The descriptors the child gets as 0, 1 and 2 (-1: inherited), opened before the fork
// so that a path that cannot be opened is an error of rayify's, not of the program.
struct Redirections {
  int fds[3] = {-1, -1, -1};
  Redirections(const std::string &in, const std::string &out, const std::string &err) {
    Open(0, in, O_RDONLY);
    Open(1, out, O_WRONLY | O_CREAT | O_TRUNC);
    if (!err.empty() && err == out) {
      fds[2] = dup(fds[1]);
    } else {
      Open(2, err, O_WRONLY | O_CREAT | O_TRUNC);
    }
  }
  ~Redirections() {
    for (int fd : fds) {
      if (fd >= 0) close(fd);
    }
  }
  void Open(int which, const std::string &path, int flags) {
    if (path.empty()) return;
    fds[which] = open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fds[which] < 0)
      throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  }
};

// In the child, between fork and exec: system calls only. Reports a failure to exec
// through `report` (close-on-exec, so a successful exec closes it silently).
[[noreturn]] void StartChild(const char *program, char *const *argv,
                             const Redirections &redirections,
                             const ProcessLimits &limits, int report) {
  if (limits.seconds > 0 || limits.file_bytes > 0) setpgid(0, 0);
  // The mask survives exec; a program must get SIGXFSZ, and whatever it expects.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (limits.file_bytes > 0) {
    struct rlimit cap = {limits.file_bytes, limits.file_bytes};
    setrlimit(RLIMIT_FSIZE, &cap);
    signal(SIGXFSZ, SIG_DFL);
  }
  for (int which = 0; which < 3; ++which) {
    if (redirections.fds[which] >= 0) dup2(redirections.fds[which], which);
  }
  execv(program, argv);
  int error = errno;
  ssize_t ignored = write(report, &error, sizeof error);
  (void)ignored;
  _exit(127);
}

// Kills `target` (a pid, or a negative process group) unless `Finish` comes first.
class Deadline {
 public:
  Deadline(double seconds, pid_t target) {
    if (seconds <= 0) return;
    watcher_ = std::thread([this, seconds, target] {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!done_.wait_for(lock, std::chrono::duration<double>(seconds),
                          [this] { return finished_; })) {
        expired_ = true;
        kill(target, SIGKILL);
      }
    });
  }
  ~Deadline() { Finish(); }
  // Returns whether the deadline passed first.
  bool Finish() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      finished_ = true;
    }
    done_.notify_all();
    if (watcher_.joinable()) watcher_.join();
    return expired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  bool expired_ = false;
  std::thread watcher_;
};

int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string> &argv,
                         const std::string &stdout_path, const std::string &stderr_path,
                         const std::string &stdin_path, const ProcessLimits &limits) {
  if (argv.empty()) throw std::invalid_argument("RunProcess: empty command");
  std::string program = FindProgram(argv[0]);
  std::vector<char *> args;
  for (const std::string &arg : argv) args.push_back(const_cast<char *>(arg.c_str()));
  args.push_back(nullptr);
  Redirections redirections(stdin_path, stdout_path, stderr_path);
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot run ") + argv[0] + ": pipe failed");
  auto start = std::chrono::steady_clock::now();
  // A signal that arrives between the fork and the record of the child would find no
  // child to kill, and the program would run on after the caller died (verify,
  // interrupted just as it started a program, left it running): the signals a caller
  // handles wait until the child is recorded. The child clears its mask.
  sigset_t interrupts, before;
  sigemptyset(&interrupts);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP})
    sigaddset(&interrupts, signal_number);
  pthread_sigmask(SIG_BLOCK, &interrupts, &before);
  pid_t pid = fork();
  if (pid == 0) StartChild(program.c_str(), args.data(), redirections, limits, report[1]);
  int fork_error = errno;
  close(report[1]);
  bool grouped = limits.seconds > 0 || limits.file_bytes > 0;
  if (pid > 0) {
    // The child may not have called setpgid yet; calling it here too closes the race.
    if (grouped) setpgid(pid, pid);
    running_child.store(grouped ? -pid : pid);
  }
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  if (pid < 0) {
    close(report[0]);
    throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(fork_error));
  }
  int exec_error = 0;
  bool exec_failed = read(report[0], &exec_error, sizeof exec_error) == sizeof exec_error;
  close(report[0]);
  Deadline deadline(exec_failed ? 0 : limits.seconds, grouped ? -pid : pid);
  int status = WaitFor(pid);
  bool timed_out = deadline.Finish();
  running_child.store(0);
  if (exec_failed) {
    throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(exec_error));
  }
  ProcessResult result;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else {
    result.exit_code = -2;
    int signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    result.signal = signal_number != 0 ? strsignal(signal_number) : "unknown status";
    result.timed_out = timed_out;
    result.wrote_too_much = limits.file_bytes > 0 && signal_number == SIGXFSZ;
  }
  // Workers the program left running are stopped with it.
  if (grouped) kill(-pid, SIGKILL);
  return result;
}

void KillRunningProcess() {
  pid_t target = running_child.load();
  if (target == 0) return;
  kill(target, SIGKILL);
  // Gone before the caller goes: a process killed with its memory still mapped can
  // linger for a moment, and whoever looks right after the caller died would see it.
  pid_t pid = target < 0 ? -target : target;
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace rayify
