-- wrk's own --latency lists 50/75/90/99 %; the benchmark also needs p95: printed here, in µs.
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("ydn-p%d %d\n", p, latency:percentile(p)))
  end
end
