"""What every request and every answer of the platform keeps to, in one place: the JSON error shape
of the API and the error pages of the site (`errors`, `pages`), the input types every API schema is
built from (`schemas`), the one pagination of list endpoints (`pagination`), the error responses
every operation documents (`openapi`), and the request checks made before any view runs
(`middleware`). `yuanqu/api.py` wires them into the API; the apps' `api.py` modules use the schemas
and the pagination."""
