"""The authorization matrix (issue 5, DOMINIO §1): every route × every kind of caller → status.

One row per route of the all-in-one app, one column per kind of caller: anon (no session),
adm (administrador), ver (verificador), sop (soporte), sup (supervisor), part (partido),
cand (candidatura), sis (sistema_registro, a service account). A cell is

- `P`      allowed: any answer but 401, 403, 404, a 5xx or a redirect to sign in;
- `login`  a browser without a session is sent to sign in (303 to /identidad/login?siguiente=…);
- `401`, `403`, `404`, … exactly that status;
- `P/404`  for the party and candidacy columns, on routes about one object: the subject's own
           object (same party, or its own candidacy) / another one (another party's, sharing a
           coalition with ours when the demo has one; for cand, another candidacy of its own
           party). Out of scope looks missing (404). A single value applies to both.

Rows go in sections: `[/api/captura/v1]` is the prefix of the paths below it (`[]`: none);
lines starting with `#` are comments.
`GET,HEAD` is two routes with the same expectations. A new route makes
`test_cada_ruta_tiene_su_fila_en_la_matriz` fail until it gets its row here.
"""

from dataclasses import dataclass

from comun.servicios import Servicio

COLUMNAS = ("anon", "adm", "ver", "sop", "sup", "part", "cand", "sis")

MATRIZ = """
                                                           anon  adm ver sop sup   part  cand  sis
[/api/identidad/v1]
POST /token                                                P     P   P   P   P     P     P     P
GET  /jwks.json                                            P     P   P   P   P     P     P     P
GET  /yo                                                   401   P   P   P   P     P     P     P
# account administration (issue 5, items 1–3 and 5): administrador only
GET  /cuentas                                              401   P   403 403 403   403   403   403
POST /cuentas                                              401   P   403 403 403   403   403   403
POST /cuentas/sincronizar                                  401   P   403 403 403   403   403   403
GET  /cuentas/{usuario}                                    401   P   403 403 403   403   403   403
POST /cuentas/{usuario}/deshabilitar                       401   P   403 403 403   403   403   403
POST /cuentas/{usuario}/habilitar                          401   P   403 403 403   403   403   403
POST /cuentas/{usuario}/cerrar-sesiones                    401   P   403 403 403   403   403   403
POST /cuentas/{usuario}/restablecer                        401   P   403 403 403   403   403   403
POST /cuentas/{usuario}/extravio                           401   P   403 403 403   403   403   403
POST /partidos/{siglas}/cuentas                            401   P   403 403 403   403   403   403
GET  /designaciones                                        401   P   403 403 403   403   403   403
POST /designaciones                                        401   P   403 403 403   403   403   403
GET  /entregas                                             401   P   403 403 403   403   403   403
GET  /paquetes                                             401   P   403 403 403   403   403   403
POST /paquetes                                             401   P   403 403 403   403   403   403
POST /paquetes/{folio}/entrega                             401   P   403 403 403   403   403   403
[/identidad]
GET  /                                                     P     P   P   P   P     P     P     P
GET  /login                                                P     P   P   P   P     P     P     P
POST /login                                                P     P   P   P   P     P     P     P
POST /logout                                               P     P   P   P   P     P     P     P
POST /renovar                                              login P   P   P   P     P     P     P
POST /login/codigo                                         P     P   P   P   P     P     P     P
GET  /cuenta                                               login P   P   P   P     P     P     P
GET  /cuenta/clave                                         login P   P   P   P     P     P     P
POST /cuenta/clave                                         login P   P   P   P     P     P     P
# a service account has no second factor: identidad refuses its token there (401 → sign in)
GET  /cuenta/segundo-factor                                login P   P   P   P     P     P     login
POST /cuenta/segundo-factor                                login P   P   P   P     P     P     login
POST /cuenta/segundo-factor/nuevo                          login P   P   P   P     P     P     login
# account administration pages: administrador only
GET  /cuentas                                              login P   403 403 403   403   403   403
POST /cuentas/sincronizar                                  login P   403 403 403   403   403   403
GET  /cuentas/nuevas                                       login P   403 403 403   403   403   403
POST /cuentas/nuevas/partido                               login P   403 403 403   403   403   403
POST /cuentas/nuevas/institucional                         login P   403 403 403   403   403   403
GET  /cuentas/{usuario}                                    login P   403 403 403   403   403   403
POST /cuentas/{usuario}/deshabilitar                       login P   403 403 403   403   403   403
POST /cuentas/{usuario}/habilitar                          login P   403 403 403   403   403   403
POST /cuentas/{usuario}/cerrar-sesiones                    login P   403 403 403   403   403   403
POST /cuentas/{usuario}/restablecer                        login P   403 403 403   403   403   403
POST /cuentas/{usuario}/extravio                           login P   403 403 403   403   403   403
GET  /designaciones                                        login P   403 403 403   403   403   403
POST /designaciones                                        login P   403 403 403   403   403   403
GET  /entregas                                             login P   403 403 403   403   403   403
POST /entregas                                             login P   403 403 403   403   403   403
POST /entregas/{folio}/entrega                             login P   403 403 403   403   403   403

[/api/captura/v1]
GET  /candidaturas                                         401   P   403 403 P     P     P     403
GET  /candidaturas/{candidatura_id}                        401   P   403 403 P/404 P/404 P/404 403
POST /registro/candidaturas                                401   P   403 403 403   403   403   P
GET  /registro/plantilla.{formato}                         401   P   403 403 403   403   403   P
POST /registro/importaciones                               401   P   403 403 403   403   403   403
GET  /registro/importaciones/{importacion_id}              401   P   403 403 403   403   403   403
GET  /registro/importaciones/{importacion_id}/reporte.xlsx 401   P   403 403 403   403   403   403
# questionnaire capture (issue 6): the capture team writes; the institute reads the state, the
# drafts, the photograph and the signed consent, never the identity answers
GET  /candidaturas/{candidatura_id}/captura                401   P   403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/cuestionarios/curricular 401 P  403 403 P/404 P/404 P/404 403
PUT  /candidaturas/{candidatura_id}/cuestionarios/curricular 401 403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/cuestionarios/identidad 401 403 403 403 P/404 P/404 P/404 403
PUT  /candidaturas/{candidatura_id}/cuestionarios/identidad 401 403 403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/envio                  401   403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/fotografia             401   P   403 403 P/404 P/404 P/404 403
PUT  /candidaturas/{candidatura_id}/fotografia             401   403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/consentimiento/formato.pdf 401 P 403 403 P/404 P/404 P/404 403
PUT  /candidaturas/{candidatura_id}/consentimiento         401   403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/consentimiento/documento 401 P  403 403 P/404 P/404 P/404 403
# a photograph is public only once its candidacy is published (none is, in this scenario)
GET  /fotografias/{archivo_id}.jpg                         404   404 404 404 404   404   404   404
# deadline extensions: administrador only
POST /candidaturas/{candidatura_id}/plazo/prorroga         401   P   403 403 403   403   403   403
POST /plazos/prorrogas                                     401   P   403 403 403   403   403   403
# questionnaire pre-load (PTO 14): the institute only reads the empty template; a job is its
# uploader's and its party's (the scenario's job is captura.prd's, so candidatura.demo gets 404)
GET  /precarga/plantilla.xlsx                              401   P   403 403 P     P     P     403
POST /precarga                                             401   403 403 403 P     P     P     403
GET  /precarga/{precarga_id}                               401   403 403 403 P     P     404   403
GET  /precarga/{precarga_id}/reporte.xlsx                  401   403 403 403 P     P     404   403
[/captura]
GET  /                                                     login P   403 403 P     P     P     403
GET  /eleccion                                             login P   403 403 403   403   403   403
GET  /registro                                             login P   403 403 403   403   403   403
POST /registro                                             login P   403 403 403   403   403   403
GET  /registro/importaciones/{importacion_id}              login P   403 403 403   403   403   403
GET  /registro/importaciones/{importacion_id}/estado       login P   403 403 403   403   403   403
GET  /candidaturas                                         login P   403 403 P     P     P     403
GET  /candidaturas/{candidatura_id:path}                   login P   403 403 P/404 P/404 P/404 403
# capture pages (issue 6): the capture team edits; the institute reads all but identity answers
GET  /mis-candidaturas                                     login P   403 403 P     P     P     403
GET  /candidaturas/{candidatura_id}/curricular             login P   403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/curricular             login 403 403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/curricular/validar     login 403 403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/curricular/fusion      login 403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/identidad              login 403 403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/identidad              login 403 403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/identidad/fusion       login 403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/consentimiento         login P   403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/consentimiento         login 403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/fotografia             login P   403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/fotografia             login 403 403 403 P/404 P/404 P/404 403
GET  /candidaturas/{candidatura_id}/envio                  login P   403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/envio                  login 403 403 403 P/404 P/404 P/404 403
POST /candidaturas/{candidatura_id}/plazo                  login P   403 403 403   403   403   403
GET  /plazos                                               login P   403 403 403   403   403   403
POST /plazos                                               login P   403 403 403   403   403   403
GET  /precarga                                             login P   403 403 P     P     P     403
POST /precarga                                             login 403 403 403 P     P     P     403
GET  /precarga/{precarga_id}                               login 403 403 403 P     P     404   403
GET  /precarga/{precarga_id}/estado                        login 403 403 403 P     P     404   403

[/api/validacion/v1]
GET  /revisiones                                           401   P   P   403 P     403   P     403
# review and validation (issue 7): the party's supervisor, or the independent itself, validates
GET  /candidaturas/{candidatura_id}                        401   P   P   403 P/404 403   P/404 403
POST /candidaturas/{candidatura_id}/validacion             401   403 403 403 P/404 403   403/404 403
GET  /publicacion/inicio                                   401   P   P   403 P     403   P     403
PUT  /publicacion/inicio                                   401   P   403 403 403   403   403   403
# live text hints while capturing (issue 7): any signed-in role
POST /revisiones/texto                                     401   P   P   P   P     P     P     P
# notices (issue 7): a party's notices go to its supervisors, an independent's to its own
# account (a party candidacy's account gets none: 404); the institute sees them all
GET  /avisos                                               401   P   P   403 P     403   P     403
POST /avisos/{aviso_id}/leido                              401   P   P   403 P/404 403   404   403
# verifier (issue 7, PTO 33): the administrator reads the queue; only the verifier takes down
# (an unpublished candidacy answers 409, which counts as allowed)
GET  /verificacion                                         401   P   P   403 403   403   403   403
GET  /verificacion/{candidatura_id}                        401   P   P   403 403   403   403   403
POST /verificacion/{candidatura_id}/deshabilitar           401   403 P   403 403   403   403   403
POST /verificacion/{candidatura_id}/habilitar              401   403 P   403 403   403   403   403
# change requests (issue 7): the party's supervisor or the independent asks, the administrator
# resolves; a party candidacy's own account sees its request but does not file one
POST /solicitudes                                          401   403 403 403 P     403   403   403
GET  /solicitudes                                          401   P   403 403 P     403   P     403
GET  /solicitudes/{solicitud_id}                           401   P   403 403 P/404 403   P/404 403
POST /solicitudes/{solicitud_id}/aplicar                   401   P   403 403 403   403   403   403
POST /solicitudes/{solicitud_id}/rechazar                  401   P   403 403 403   403   403   403
[/validacion]
GET  /                                                     login P   P   403 P     403   P     403
GET  /candidaturas/{candidatura_id}                        login P   P   403 P/404 403   P/404 403
POST /candidaturas/{candidatura_id}/validacion             login 403 403 403 P/404 403   403/404 403
GET  /publicacion                                          login P   403 403 403   403   403   403
POST /publicacion                                          login P   403 403 403   403   403   403
GET  /avisos                                               login P   P   403 P     403   P     403
POST /avisos/{aviso_id}/leido                              login P   P   403 P/404 403   404   403
GET  /correos                                              login P   403 403 403   403   403   403
GET  /candidaturas/{candidatura_id}/solicitud              login 403 403 403 P/404 403   403/404 403
POST /candidaturas/{candidatura_id}/solicitud              login 403 403 403 P/404 403   403/404 403
GET  /solicitudes                                          login P   403 403 P     403   P     403
GET  /solicitudes/{solicitud_id}                           login P   403 403 P/404 403   P/404 403
POST /solicitudes/{solicitud_id}/aplicar                   login P   403 403 403   403   403   403
POST /solicitudes/{solicitud_id}/rechazar                  login P   403 403 403   403   403   403
GET  /verificacion                                         login P   P   403 403   403   403   403
GET  /verificacion/{candidatura_id}                        login P   P   403 403   403   403   403
POST /verificacion/{candidatura_id}/deshabilitar           login 403 P   403 403   403   403   403
POST /verificacion/{candidatura_id}/habilitar              login 403 P   403 403   403   403   403

[/api/estadistica/v1]
GET  /candidaturas-por-partido                             401   P   P   403 403   403   403   403
[/estadistica]
GET  /                                                     login P   P   403 403   403   403   403

[/api/auditoria/v1]
GET  /historial                                            401   P   403 403 403   403   403   403
[/auditoria]
GET  /                                                     login P   403 403 403   403   403   403

[/api/publicacion/v1]
GET  /resumen                                              P     P   P   P   P     P     P     P
GET  /candidaturas                                         P     P   P   P   P     P     P     P
# public to everybody once published; the matrix's candidacy is not: the same 404 for all
GET  /candidaturas/{candidatura_id}                        404   404 404 404 404   404   404   404
GET  /candidaturas/{candidatura_id}/cambios                404   404 404 404 404   404   404   404
GET  /contiendas                                           P     P   P   P   P     P     P     P
# open data (issue 8, item 4): public; the scenario's snapshot has no profile but every file
GET  /datos-abiertos                                       P     P   P   P   P     P     P     P
GET  /datos-abiertos/manifiesto.json                       P     P   P   P   P     P     P     P
GET  /datos-abiertos/manifiesto.sig                        P     P   P   P   P     P     P     P
GET  /datos-abiertos/clave-publica.pem                     P     P   P   P   P     P     P     P
GET  /datos-abiertos/{archivo}                             P     P   P   P   P     P     P     P
OPTIONS /{ruta:path}                                       P     P   P   P   P     P     P     P
[]
GET,HEAD /                                                 P     P   P   P   P     P     P     P
GET,HEAD /candidaturas/{candidatura_id}                    404   404 404 404 404   404   404   404
GET,HEAD /candidaturas                                     P     P   P   P   P     P     P     P
GET,HEAD /mi-boleta                                        P     P   P   P   P     P     P     P
GET,HEAD /contiendas/{clave}                               404   404 404 404 404   404   404   404
# comparing needs 2 to 4 profiles: with none, the same 400 for everybody
GET,HEAD /comparar                                         400   400 400 400 400   400   400   400
# informative pages: public, the same for everybody
GET,HEAD /privacidad                                       P     P   P   P   P     P     P     P
GET,HEAD /privacidad/simplificado                          P     P   P   P   P     P     P     P
GET,HEAD /accesibilidad                                    P     P   P   P   P     P     P     P
GET,HEAD /acerca-de-los-datos                              P     P   P   P   P     P     P     P
GET,HEAD /datos-abiertos                                   P     P   P   P   P     P     P     P
# outgoing webhooks (issue 8, item 5): administrador only; the scenario has one subscriber with
# one dead delivery; deleting keeps its record, so later rows answer 409 (allowed) not 404
GET  /webhooks                                             login P   403 403 403   403   403   403
POST /webhooks                                             login P   403 403 403   403   403   403
GET  /webhooks/{suscripcion_id}                            login P   403 403 403   403   403   403
POST /webhooks/{suscripcion_id}/pausar                     login P   403 403 403   403   403   403
POST /webhooks/{suscripcion_id}/reanudar                   login P   403 403 403   403   403   403
POST /webhooks/{suscripcion_id}/rotar-secreto              login P   403 403 403   403   403   403
POST /webhooks/{suscripcion_id}/eliminar                   login P   403 403 403   403   403   403
POST /webhooks/entregas/{entrega_id}/reenviar              login P   403 403 403   403   403   403
[/api/publicacion/v1/webhooks]
GET  /suscripciones                                        401   P   403 403 403   403   403   403
POST /suscripciones                                        401   P   403 403 403   403   403   403
GET  /suscripciones/{suscripcion_id}                       401   P   403 403 403   403   403   403
DELETE /suscripciones/{suscripcion_id}                     401   P   403 403 403   403   403   403
POST /suscripciones/{suscripcion_id}/pausar                401   P   403 403 403   403   403   403
POST /suscripciones/{suscripcion_id}/reanudar              401   P   403 403 403   403   403   403
POST /suscripciones/{suscripcion_id}/rotar-secreto         401   P   403 403 403   403   403   403
GET  /entregas                                             401   P   403 403 403   403   403   403
POST /entregas/{entrega_id}/reenviar                       401   P   403 403 403   403   403   403
"""

# comun adds these to every service, with no account by design: the orchestrator and Prometheus
# call health and metrics without a token, and the OpenAPI documents describe the public API.
RUTAS_DE_COMUN = (
    "GET,HEAD /health/live",
    "GET,HEAD /health/ready",
    "GET /metrics",
    "GET /openapi.json",
)


@dataclass(frozen=True)
class Sujeto:
    """A kind of caller: a demo account (or none) and whether it asks for another's object."""

    nombre: str
    columna: str
    cuenta: str | None
    ajeno: bool = False


SUJETOS = (
    Sujeto("anonimo", "anon", None),
    Sujeto("administrador", "adm", "admin"),
    Sujeto("verificador", "ver", "verificador"),
    Sujeto("soporte", "sop", "soporte"),
    Sujeto("supervisor-propio", "sup", "supervisor.prd"),
    Sujeto("supervisor-ajeno", "sup", "supervisor.prd", ajeno=True),
    Sujeto("partido-propio", "part", "captura.prd"),
    Sujeto("partido-ajeno", "part", "captura.prd", ajeno=True),
    Sujeto("candidatura-propia", "cand", "candidatura.demo"),
    Sujeto("candidatura-ajena", "cand", "candidatura.demo", ajeno=True),
    Sujeto("sistema_registro", "sis", "sistema.registro"),
)
# The scoped accounts' party; candidatura.demo is one of its candidacies (the demo's own choice).
PARTIDO_PROPIO = "PRD"
COLUMNAS_CON_ALCANCE = frozenset({"sup", "part", "cand"})

Ruta = tuple[str, str]


def _celdas(linea: str, numero: int) -> dict[str, str]:
    """The cells of one row, by column."""
    valores = linea.split()
    if len(valores) != len(COLUMNAS):
        raise ValueError(f"línea {numero} de MATRIZ: {len(valores)} celdas, no {len(COLUMNAS)}")
    celdas = dict(zip(COLUMNAS, valores, strict=True))
    for columna, valor in celdas.items():
        for parte in valor.split("/"):
            if parte not in ("P", "login") and not (parte.isdigit() and len(parte) == 3):
                raise ValueError(f"línea {numero} de MATRIZ: celda «{valor}» no válida")
        if "/" in valor and columna not in COLUMNAS_CON_ALCANCE:
            raise ValueError(f"línea {numero} de MATRIZ: «{valor}» solo en columnas de alcance")
    return celdas


def leer_matriz(texto: str) -> dict[Ruta, dict[str, str]]:
    """Parse the table into (method, path) → column → cell."""
    filas: dict[Ruta, dict[str, str]] = {}
    prefijo: str | None = None
    for numero, crudo in enumerate(texto.splitlines(), start=1):
        linea = crudo.strip()
        if not linea or linea.startswith("#") or linea.split()[0] == COLUMNAS[0]:
            continue
        if linea.startswith("["):
            prefijo = linea.strip("[]")
            continue
        if prefijo is None:
            raise ValueError(f"línea {numero} de MATRIZ: falta la sección [prefijo]")
        metodos, relativa, resto = linea.split(maxsplit=2)
        celdas = _celdas(resto, numero)
        ruta = prefijo + relativa
        for metodo in metodos.split(","):
            if (metodo, ruta) in filas:
                raise ValueError(f"línea {numero} de MATRIZ: {metodo} {ruta} está repetida")
            filas[(metodo, ruta)] = celdas
    return filas


def _de_comun() -> str:
    """The rows comun adds to every service: public for everyone."""
    publica = "  ".join("P" for _ in COLUMNAS)
    lineas = []
    for servicio in Servicio:
        lineas.append(f"[/api/{servicio.value}]")
        lineas += [f"{r} {publica}" for r in RUTAS_DE_COMUN]
    return "\n".join(lineas)


FILAS = leer_matriz(MATRIZ) | leer_matriz(_de_comun())


def esperado(ruta: Ruta, sujeto: Sujeto) -> str:
    """The expected outcome of a subject's call to a route."""
    celda = FILAS[ruta][sujeto.columna]
    propio, _, ajeno = celda.partition("/")
    return (ajeno or propio) if sujeto.ajeno else propio


CASOS = [(ruta, sujeto) for ruta in FILAS for sujeto in SUJETOS]
