// Parses only when Clang's own builtin headers (its resource directory) are on the
// include path: GCC's stddef.h, which clang falls back to, has no __stddef_size_t.h.
#include <cstddef>
#include <cstdio>
#include <vector>

#if !__has_include(<__stddef_size_t.h>)
#error "Clang's resource directory is not in use"
#endif

int main() {
  std::vector<std::size_t> sizes{1, 2, 3};
  std::printf("%zu\n", sizes.size());
  return 0;
}
