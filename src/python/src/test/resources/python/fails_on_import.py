def _configure():
    raise RuntimeError('DATABASE_URL is not set')

_configure()
