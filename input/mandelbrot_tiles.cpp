// Renders a Mandelbrot image in tiles and prints a coarse ASCII preview with the
// escape-time histogram. Rendering a tile is heavy and asks for a whole CPU and some
// memory, which the annotation passes on to Ray's scheduler.
#include <cstdio>
#include <vector>

struct Tile {
    int row;
    int col;
    int size;
};

// rayify: resources(CPU=1, memory=64MB)
std::vector<int> render_tile(const Tile& tile, int width, int height, int max_iter)
{
    std::vector<int> counts(tile.size * tile.size);
    for (int y = 0; y < tile.size; ++y) {
        for (int x = 0; x < tile.size; ++x) {
            double cr = -2.2 + 3.2 * (tile.col * tile.size + x) / width;
            double ci = -1.2 + 2.4 * (tile.row * tile.size + y) / height;
            double zr = 0.0, zi = 0.0;
            int n = 0;
            while (n < max_iter && zr * zr + zi * zi < 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                ++n;
            }
            counts[y * tile.size + x] = n;
        }
    }
    return counts;
}

int main()
{
    const int tile_size = 128, rows = 4, cols = 6, max_iter = 1500;
    const int width = cols * tile_size, height = rows * tile_size;

    std::vector<Tile> tiles;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            tiles.push_back(Tile{r, c, tile_size});

    std::vector<std::vector<int>> rendered;
    for (const Tile& tile : tiles)
        rendered.push_back(render_tile(tile, width, height, max_iter));

    long long histogram[4] = {0, 0, 0, 0};
    for (size_t t = 0; t < tiles.size(); ++t)
        for (int n : rendered[t])
            ++histogram[n >= max_iter ? 3 : n > 50 ? 2 : n > 10 ? 1 : 0];

    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const std::vector<int>& counts = rendered[r * cols + c];
            long long inside = 0;
            for (int n : counts)
                inside += n >= max_iter;
            std::printf("%c", inside > tile_size * tile_size / 4 ? '#' : inside > 0 ? '+' : '.');
        }
        std::printf("\n");
    }
    std::printf("escape-time histogram: fast %lld, medium %lld, slow %lld, inside %lld\n", histogram[0],
                histogram[1], histogram[2], histogram[3]);
    return 0;
}
