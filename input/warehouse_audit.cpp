// Two warehouses (the class is in warehouse.h) take deliveries and orders, then
// audit their movement logs. Each warehouse keeps its own state: each becomes a
// Ray actor, and the two audits run side by side.
#include <cstdio>
#include <string>

#include "warehouse.h"

int main() {
  const int rounds = 400000;
  Warehouse north("north", 12);
  Warehouse south("south", 8);

  const char *items[] = {"bolts", "nuts", "gears", "springs"};
  for (int day = 0; day < 30; ++day) {
    std::string item = items[day % 4];
    north.restock(item, 10 + day);
    south.restock(item, 5 + 2 * day);
    if (!north.ship(item, 7 + day % 9)) std::printf("day %d: north short of %s\n", day, item.c_str());
    if (!south.ship(item, 12 + day % 5)) std::printf("day %d: south short of %s\n", day, item.c_str());
  }

  std::printf("%s holds %d units\n", north.site().c_str(), north.units());
  std::printf("%s holds %d units\n", south.site().c_str(), south.units());
  std::printf("north audit %016llx\n", static_cast<unsigned long long>(north.audit(rounds)));
  std::printf("south audit %016llx\n", static_cast<unsigned long long>(south.audit(rounds)));
  return 0;
}
