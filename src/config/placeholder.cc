// placeholder until config has sources
