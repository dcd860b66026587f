// How failures reach the caller, written against Ray's C++ API and built against both
// backends: the output must be the same (failures.expected). A task that throws and an
// actor method that throws both surface at ray::Get as ray::internal::RayTaskException
// whose message carries the original error, and the actor keeps serving calls.
#include <ray/api.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

int Checked(int x) {
  if (x < 0) throw std::invalid_argument("negative input " + std::to_string(x));
  return 2 * x;
}

class Ledger {
 public:
  static Ledger *Create() { return new Ledger(); }
  int Credit(int amount) {
    if (amount <= 0)
      throw std::domain_error("refused credit of " + std::to_string(amount));
    balance_ += amount;
    return balance_;
  }

 private:
  int balance_ = 0;
};

RAY_REMOTE(Checked, Ledger::Create, &Ledger::Credit);

// Runs `get` and prints which exception, if any, came out of it.
template <typename Get>
void Report(const char *what, const char *expected_text, Get get) {
  try {
    int value = *get();
    std::printf("%s: value %d\n", what, value);
  } catch (const ray::internal::RayTaskException &error) {
    bool carries = std::strstr(error.what(), expected_text) != nullptr;
    std::printf("%s: RayTaskException (message %s the error)\n", what,
                carries ? "carries" : "LOSES");
  } catch (const ray::internal::RayException &error) {
    std::printf("%s: another RayException: %s\n", what, error.what());
  } catch (const std::exception &error) {
    std::printf("%s: not a RayException: %s\n", what, error.what());
  }
}

int main(int argc, char **argv) {
  ray::RayConfig config;
  if (const char *address = std::getenv("RAY_ADDRESS")) config.address = address;
  ray::Init(config, argc, argv);

  Report("task", "", [] { return ray::Get(ray::Task(Checked).Remote(21)); });
  Report("throwing task", "negative input -3",
         [] { return ray::Get(ray::Task(Checked).Remote(-3)); });

  ray::ActorHandle<Ledger> ledger = ray::Actor(Ledger::Create).Remote();
  Report("method", "", [&] { return ray::Get(ledger.Task(&Ledger::Credit).Remote(5)); });
  Report("throwing method", "refused credit of -1",
         [&] { return ray::Get(ledger.Task(&Ledger::Credit).Remote(-1)); });
  Report("method after the throw", "",
         [&] { return ray::Get(ledger.Task(&Ledger::Credit).Remote(7)); });

  ray::Shutdown();
  return 0;
}
