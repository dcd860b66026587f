// The serializer's fast paths: float arrays packed in blocks and numbers read straight
// from the bytes must give exactly what msgpack's element-by-element paths give.
#include <gtest/gtest.h>
#include <ray/api/serializer.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

using ray::internal::Serializer;
using ray::internal::StringSink;

// The bytes the runtime's packer writes one element at a time.
template <typename Number>
std::string PackedOneByOne(const std::vector<Number> &values) {
  std::string bytes;
  StringSink sink{&bytes};
  msgpack::packer<StringSink> packer(sink);
  packer.pack_array(static_cast<uint32_t>(values.size()));
  for (Number value : values) {
    if constexpr (std::is_integral_v<Number>) {
      packer.pack(value);
    } else if constexpr (sizeof(Number) == 8) {
      packer.pack_double(value);
    } else {
      packer.pack_float(value);
    }
  }
  return bytes;
}

template <typename Float>
std::vector<Float> Awkward(size_t size) {
  std::vector<Float> values(size);
  for (size_t i = 0; i < size; ++i) values[i] = static_cast<Float>(std::sin(i) * 1e3);
  const Float specials[] = {-0.0f, std::numeric_limits<Float>::quiet_NaN(),
                            std::numeric_limits<Float>::infinity(),
                            std::numeric_limits<Float>::denorm_min(), 3.0f};
  for (size_t i = 0; i < size && i < 5; ++i) values[i] = specials[i];
  return values;
}

// Every array header width, and more elements than one block holds.
const size_t kSizes[] = {0, 1, 15, 16, 513, 65535, 65536, 70001};

TEST(SerializerTest, DoubleArraysPackByteForByteAsOneByOne) {
  for (size_t size : kSizes) {
    auto values = Awkward<double>(size);
    EXPECT_EQ(Serializer::Serialize(values), PackedOneByOne(values)) << size;
  }
}

TEST(SerializerTest, FloatArraysPackByteForByteAsOneByOne) {
  for (size_t size : kSizes) {
    auto values = Awkward<float>(size);
    EXPECT_EQ(Serializer::Serialize(values), PackedOneByOne(values)) << size;
  }
}

// Every integer form msgpack writes, each side of its boundaries, repeated past
// several blocks.
template <typename Int>
std::vector<Int> IntegerEdges(size_t size) {
  const long long edges[] = {
      0,  1,   127, 128,  255,  256,    65535,  65536,       4294967295, 4294967296,
      -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649};
  std::vector<Int> values;
  for (size_t i = 0; values.size() < size; ++i) {
    values.push_back(static_cast<Int>(edges[i % std::size(edges)] + (i / 19) % 3));
  }
  values.push_back(std::numeric_limits<Int>::min());
  values.push_back(std::numeric_limits<Int>::max());
  return values;
}

template <typename Int>
void ExpectIntegersPackAsOneByOne() {
  for (size_t size : kSizes) {
    std::vector<Int> values = IntegerEdges<Int>(size);
    std::string bytes = Serializer::Serialize(values);
    EXPECT_EQ(bytes, PackedOneByOne(values)) << size;
    EXPECT_EQ(Serializer::Deserialize<std::vector<Int>>(bytes), values) << size;
  }
}

TEST(SerializerTest, IntegerArraysPackByteForByteAsOneByOne) {
  ExpectIntegersPackAsOneByOne<short>();
  ExpectIntegersPackAsOneByOne<unsigned short>();
  ExpectIntegersPackAsOneByOne<int>();
  ExpectIntegersPackAsOneByOne<unsigned>();
  ExpectIntegersPackAsOneByOne<long>();
  ExpectIntegersPackAsOneByOne<unsigned long>();
  ExpectIntegersPackAsOneByOne<long long>();
  ExpectIntegersPackAsOneByOne<unsigned long long>();
}

struct Holder {
  std::string name;
  std::vector<double> values;
  MSGPACK_DEFINE(name, values);
};

// Equal bit for bit (NaN included, which == is not).
template <typename Float>
bool SameBits(const std::vector<Float> &a, const std::vector<Float> &b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(Float)) == 0);
}

TEST(SerializerTest, ArraysInsideStructsAndContainersRoundTripEveryBit) {
  Holder holder{"h", Awkward<double>(600)};
  Holder back = Serializer::Deserialize<Holder>(Serializer::Serialize(holder));
  EXPECT_TRUE(SameBits(back.values, holder.values));
  std::vector<std::vector<float>> grid = {Awkward<float>(3), {}, Awkward<float>(40)};
  auto grid_back = Serializer::Deserialize<std::vector<std::vector<float>>>(
      Serializer::Serialize(grid));
  ASSERT_EQ(grid_back.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(SameBits(grid_back[i], grid[i])) << i;
}

// What msgpack's own path makes of `bytes` as T.
template <typename T>
T ThroughObjects(const std::string &bytes) {
  return msgpack::unpack(bytes.data(), bytes.size()).get().as<T>();
}

TEST(SerializerTest, NumbersReadDirectlyAsMsgpackReadsThem) {
  // Every integer encoding msgpack writes: fixints, 8 to 64 bits, signed and not.
  std::vector<long long> integers = {0,
                                     1,
                                     127,
                                     128,
                                     255,
                                     256,
                                     65535,
                                     65536,
                                     1LL << 32,
                                     -1,
                                     -32,
                                     -33,
                                     -128,
                                     -129,
                                     -32768,
                                     -32769,
                                     -(1LL << 31) - 1,
                                     std::numeric_limits<long long>::min(),
                                     std::numeric_limits<long long>::max()};
  std::string bytes = Serializer::Serialize(integers);
  EXPECT_EQ(Serializer::Deserialize<std::vector<long long>>(bytes),
            ThroughObjects<std::vector<long long>>(bytes));
  std::vector<unsigned long> large = {0, 200, 70000,
                                      std::numeric_limits<unsigned long>::max()};
  bytes = Serializer::Serialize(large);
  EXPECT_EQ(Serializer::Deserialize<std::vector<unsigned long>>(bytes), large);
  auto doubles = Awkward<double>(100);
  bytes = Serializer::Serialize(doubles);
  EXPECT_TRUE(SameBits(Serializer::Deserialize<std::vector<double>>(bytes),
                       ThroughObjects<std::vector<double>>(bytes)));
  // A float32 read as double, and a float64 read as float, convert as msgpack does.
  EXPECT_EQ(Serializer::Deserialize<std::vector<double>>(
                Serializer::Serialize(std::vector<float>{0.1f})),
            ThroughObjects<std::vector<double>>(
                Serializer::Serialize(std::vector<float>{0.1f})));
  EXPECT_EQ(Serializer::Deserialize<float>(Serializer::Serialize(0.1)), 0.1f);
}

TEST(SerializerTest, WhatTheDirectReaderDeclinesTakesMsgpacksPath) {
  // Integers stored where doubles are read convert, as msgpack converts them.
  EXPECT_EQ(Serializer::Deserialize<std::vector<double>>(
                Serializer::Serialize(std::vector<int>{1, -2})),
            (std::vector<double>{1.0, -2.0}));
  // Out of range is msgpack's type error, not a wrapped value.
  EXPECT_THROW(Serializer::Deserialize<std::vector<int>>(
                   Serializer::Serialize(std::vector<long long>{1LL << 40})),
               msgpack::type_error);
  EXPECT_THROW(Serializer::Deserialize<std::vector<unsigned>>(
                   Serializer::Serialize(std::vector<int>{-1})),
               msgpack::type_error);
  // Truncated bytes are an error, never a shorter array.
  std::string bytes = Serializer::Serialize(std::vector<double>(100, 1.0));
  bytes.resize(bytes.size() - 4);
  EXPECT_ANY_THROW(Serializer::Deserialize<std::vector<double>>(bytes));
}

// A result struct as rayify writes one: every field it encodes tied, in order.
struct Tied {
  std::vector<int> counts;
  std::vector<double> sums;
  long long last = 0;
  MSGPACK_DEFINE(counts, sums, last);
  auto rayify_fields() { return std::tie(counts, sums, last); }
};

struct TiedWithMap {
  std::map<int, double> best;
  MSGPACK_DEFINE(best);
  auto rayify_fields() { return std::tie(best); }
};

// What tasks return for elements they scatter: an index and a value.
struct TiedWithScatter {
  std::tuple<long, double> at;
  std::pair<int, float> other;
  std::vector<std::tuple<unsigned, double>> many;
  MSGPACK_DEFINE(at, other, many);
  auto rayify_fields() { return std::tie(at, other, many); }
};

TEST(SerializerTest, AStructThatTiesItsFieldsIsReadFieldByField) {
  using ray::internal::CopiesExactly;
  using ray::internal::DirectReader;
  static_assert(DirectReader<Tied>::kSupported && CopiesExactly<Tied>::value);
  static_assert(DirectReader<std::vector<Tied>>::kSupported);
  // MSGPACK_DEFINE alone may leave fields out: such a struct is msgpack's to copy.
  static_assert(!DirectReader<Holder>::kSupported && !CopiesExactly<Holder>::value);
  Tied tied{{1, 300, -7, 70000}, Awkward<double>(600), 1LL << 40};
  std::string bytes = Serializer::Serialize(tied);
  Tied back = Serializer::Deserialize<Tied>(bytes);
  Tied reference = ThroughObjects<Tied>(bytes);
  EXPECT_EQ(back.counts, reference.counts);
  EXPECT_TRUE(SameBits(back.sums, tied.sums));
  EXPECT_TRUE(SameBits(back.sums, reference.sums));
  EXPECT_EQ(back.last, tied.last);
  // A chunk's results: a vector of them.
  std::vector<Tied> chunk = {tied, Tied{}};
  auto chunk_back =
      Serializer::Deserialize<std::vector<Tied>>(Serializer::Serialize(chunk));
  ASSERT_EQ(chunk_back.size(), 2u);
  EXPECT_TRUE(SameBits(chunk_back[0].sums, tied.sums));
  EXPECT_TRUE(chunk_back[1].counts.empty() && chunk_back[1].sums.empty());
  // Bytes of another shape are msgpack's to judge: a type error, never a guess.
  EXPECT_THROW(Serializer::Deserialize<Tied>(Serializer::Serialize(Holder{"h", {}})),
               msgpack::type_error);
}

// A global array as rayify sends one to its tasks.
struct Grid {
  double value[3][4];
  MSGPACK_DEFINE(value);
  auto rayify_fields() { return std::tie(value); }
};

TEST(SerializerTest, CArraysOfNumbersAreReadDirectlyAndKeptAsTheyAre) {
  using ray::internal::CopiesExactly;
  using ray::internal::DirectReader;
  static_assert(DirectReader<Grid>::kSupported && CopiesExactly<Grid>::value);
  static_assert(CopiesExactly<unsigned char[8]>::value);
  // msgpack writes a char array as the string before its first '\0'.
  static_assert(!CopiesExactly<char[8]>::value);
  Grid grid{};
  std::vector<double> awkward = Awkward<double>(12);
  for (int i = 0; i < 12; ++i) grid.value[i / 4][i % 4] = awkward[i];
  std::string bytes = Serializer::Serialize(grid);
  Grid back = Serializer::Deserialize<Grid>(bytes);
  Grid reference = ThroughObjects<Grid>(bytes);
  EXPECT_EQ(std::memcmp(back.value, grid.value, sizeof grid.value), 0);
  EXPECT_EQ(std::memcmp(reference.value, grid.value, sizeof grid.value), 0);
  auto on_heap = Serializer::DeserializeOnHeap<Grid>(bytes);
  EXPECT_EQ(std::memcmp(on_heap->value, grid.value, sizeof grid.value), 0);
}

TEST(SerializerTest, ATiedFieldTheDirectReaderCannotReadTakesMsgpacksPath) {
  static_assert(!ray::internal::DirectReader<TiedWithMap>::kSupported);
  static_assert(!ray::internal::CopiesExactly<TiedWithMap>::value);
  TiedWithMap value{{{3, -0.0}, {-7, 2.5}}};
  auto back = Serializer::Deserialize<TiedWithMap>(Serializer::Serialize(value));
  EXPECT_TRUE(std::signbit(back.best.at(3)));
  EXPECT_EQ(back.best.at(-7), 2.5);
}

TEST(SerializerTest, TuplesAndPairsAreReadDirectlyAsMsgpackReadsThem) {
  static_assert(ray::internal::DirectReader<TiedWithScatter>::kSupported);
  static_assert(ray::internal::CopiesExactly<TiedWithScatter>::value);
  TiedWithScatter value{
      {-5000000000L, -0.0}, {-3, 0.1f}, {{0u, 1e300}, {4294967295u, -2.5}, {7u, 0.1}}};
  std::string bytes = Serializer::Serialize(value);
  TiedWithScatter back = Serializer::Deserialize<TiedWithScatter>(bytes);
  TiedWithScatter reference = ThroughObjects<TiedWithScatter>(bytes);
  for (const TiedWithScatter *read : {&back, &reference}) {
    EXPECT_EQ(std::get<0>(read->at), -5000000000L);
    EXPECT_TRUE(std::signbit(std::get<1>(read->at)));
    EXPECT_EQ(read->other, value.other);
    EXPECT_EQ(read->many, value.many);
  }
  // Another count than the tuple's size takes msgpack's path and gives what its
  // objects give.
  for (const std::vector<int> &elements :
       {std::vector<int>{1, 2, 3}, std::vector<int>{1}}) {
    std::string bytes = Serializer::Serialize(elements);
    EXPECT_EQ((Serializer::Deserialize<std::tuple<int, int>>(bytes)),
              (ThroughObjects<std::tuple<int, int>>(bytes)));
  }
}

}  // namespace

namespace {

// A run of float64s broken by another encoding: the block read gives way to the
// element-by-element path, dropping what it had read, and the values are msgpack's.
TEST(SerializerTest, AFloat64RunBrokenByAnIntegerIsReadElementByElement) {
  std::string bytes;
  StringSink sink{&bytes};
  msgpack::packer<StringSink> packer(sink);
  packer.pack_array(4);
  packer.pack_double(1.5);
  packer.pack_double(-0.0);
  packer.pack_int(7);
  packer.pack_double(2.25);
  std::vector<double> read = Serializer::Deserialize<std::vector<double>>(bytes);
  EXPECT_TRUE(SameBits(read, ThroughObjects<std::vector<double>>(bytes)));
  EXPECT_EQ(read.size(), 4u);
}

struct FloatsAndCounts {
  std::vector<double> sums;
  std::vector<float> rows;
  double last = 0;
  std::vector<long long> counts;
  MSGPACK_DEFINE(sums, rows, last, counts);
  auto rayify_fields() { return std::tie(sums, rows, last, counts); }
};

// Serialize reserves what the hint says: exactly the bytes of floating-point values,
// never more than the bytes of anything else.
TEST(SerializerTest, TheSizeHintIsExactForFloatsAndNeverTooMuch) {
  using ray::internal::EncodedSizeHint;
  for (size_t size : {0, 1, 15, 16, 70001}) {
    std::vector<double> doubles = Awkward<double>(size);
    std::vector<float> floats = Awkward<float>(size);
    // Array headers of up to 15 elements take one byte, not five: the hint adds four.
    size_t header = size < 16 ? 4 : (size < 65536 ? 2 : 0);
    EXPECT_EQ(EncodedSizeHint(doubles), Serializer::Serialize(doubles).size() + header);
    EXPECT_EQ(EncodedSizeHint(floats), Serializer::Serialize(floats).size() + header);
  }
  FloatsAndCounts value{Awkward<double>(70001), Awkward<float>(513), 1.0,
                        std::vector<long long>(300, 1LL << 40)};
  std::vector<FloatsAndCounts> results(3, value);
  EXPECT_LE(EncodedSizeHint(results), Serializer::Serialize(results).size());
  EXPECT_GE(EncodedSizeHint(results), 3 * 9 * 70001);
  EXPECT_EQ(EncodedSizeHint(std::string("not hinted")), 0u);
}

}  // namespace
