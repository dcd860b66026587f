// Runs long enough for a test to interrupt rayify verify while it waits.
#include <chrono>
#include <cstdio>
#include <thread>

int main() {
  std::this_thread::sleep_for(std::chrono::seconds(60));
  std::printf("done\n");
  return 0;
}
