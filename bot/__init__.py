"""Runtime pieces of the navigator: web app, channels, NLU components, launcher."""
