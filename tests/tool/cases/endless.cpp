// Asks for a number until it gets one, the way interactive programs do, and so never
// stops once its input ends: verify must stop it before it fills the disk.
#include <cstdio>

int main() {
  int number = 0;
  while (true) {
    std::printf("enter a number: ");
    if (std::scanf("%d", &number) == 1) break;
    std::scanf("%*s");
  }
  std::printf("got %d\n", number);
  return 0;
}
