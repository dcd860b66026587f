// discarded-object-ref: the ObjectRef of a .Remote() is dropped.
#include <ray/api.h>

int work(int x) { return x * 2; }

struct Log {
  int lines = 0;
  void add(int n) { lines += n; }
  int count() { return lines; }
};
Log *CreateLog() { return new Log(); }

RAY_REMOTE(work, CreateLog, &Log::add, &Log::count);

int main(int argc, char **argv) {
  ray::Init();
  ray::Task(work).Remote(1);  // expect: discarded-object-ref
  if (argc > 5) ray::Task(work).Remote(2);  // expect: discarded-object-ref
  ray::ActorHandle<Log> log = ray::Actor(CreateLog).Remote();
  log.Task(&Log::count).Remote();  // expect: discarded-object-ref

  // Near misses: kept refs, an explicit void cast, a void actor method (how actor
  // state changes), and an actor creation.
  auto kept = ray::Task(work).Remote(3);
  (void)ray::Task(work).Remote(4);
  log.Task(&Log::add).Remote(5);
  ray::Actor(CreateLog).Remote();
  int lines = *ray::Get(log.Task(&Log::count).Remote());
  ray::Shutdown();
  return *ray::Get(kept) + lines;
}
