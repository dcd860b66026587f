// Prints what it reads: verify must give both programs the same standard input.
#include <iostream>
#include <string>

int main() {
  std::string line;
  while (std::getline(std::cin, line)) std::cout << "read: " << line << "\n";
  return 0;
}
