// placeholder until measure has sources
