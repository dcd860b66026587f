// Objects the loops call methods on: a model whose const method a loop calls per
// seed (the single-call shape, outlined so that the task is sent the model), a
// functor written on one line with a private field, and classes that declare only
// constructors with parameters (each gets a default one for msgpack). What must not
// convert: an object whose constructor counts instances or whose destructor prints,
// since a task and the driver make and destroy copies the program never made.
#include <cmath>
#include <cstdio>
#include <vector>

static double series(double x, int terms) {
  double s = 0;
  for (int k = 1; k < terms; ++k) s += std::sin(x * k) / k;
  return s;
}

class Model {
 public:
  Model(double rate, int terms) : rate_(rate), terms_(terms) {}
  double evaluate(int seed) const { return rate_ * series(seed * 0.01, terms_); }

 private:
  double rate_;
  int terms_;
};

class Scale { public: explicit Scale(double f) : f_(f) {} double operator()(int i) const { return f_ * series(i * 0.02, 150000); } private: double f_; };

static int g_models = 0;

struct Counted {
  Counted() { ++g_models; }
  double evaluate(int seed) const { return series(seed * 0.03, 150000); }
};

struct Loud {
  double k = 2;
  ~Loud() { std::printf("loud model gone\n"); }
  double evaluate(int seed) const { return k * series(seed * 0.04, 150000); }
};

int main() {
  Model model(0.5, 150000);
  std::vector<double> results(12);
  for (int i = 0; i < 12; ++i) results[i] = model.evaluate(i);

  Scale scale(3.0);
  std::vector<double> scaled(12);
  for (int i = 0; i < 12; ++i) scaled[i] = scale(i);

  Counted counted;
  std::vector<double> counts(12);
  for (int i = 0; i < 12; ++i) counts[i] = counted.evaluate(i);

  std::vector<double> louder(12);
  {
    Loud loud;
    for (int i = 0; i < 12; ++i) louder[i] = loud.evaluate(i);
  }

  for (int i = 0; i < 12; i += 5)
    std::printf("%2d %.9f %.9f %.9f %.9f\n", i, results[i], scaled[i], counts[i],
                louder[i]);
  std::printf("models made: %d\n", g_models);
  return 0;
}
