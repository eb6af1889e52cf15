// placeholder until sim has sources
