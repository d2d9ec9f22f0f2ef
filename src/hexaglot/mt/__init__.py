"""Machine translation: the engine contract, the engines and the router."""
