// placeholder until app has sources
