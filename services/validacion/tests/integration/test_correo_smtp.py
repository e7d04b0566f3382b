"""SmtpCorreo against a real SMTP server (aiosmtpd) started by the test."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from comun.pruebas import puerto_libre
from validacion.adapters.correo import CorreoNoEnviado, SmtpCorreo
from validacion.domain.avisos import MensajeCorreo

USUARIO, CLAVE = "conoceles", "clave-smtp"
REMITENTE = "Conóceles <no-responder@ieem.org.mx>"
MENSAJE = MensajeCorreo(
    id="aviso-1:cuenta-1",
    para=("supervision@pan.org.mx",),
    asunto="Conóceles: Aviso sobre la candidatura DL-MR-01-PAN-P",
    cuerpo="La propuesta 1 llama al voto; corríjala.",
)


@dataclass
class Recibidos:
    """What the server accepted: envelopes and parsed messages."""

    mensajes: list[tuple[str, list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mensajes.append(
            (
                envelope.mail_from,
                list(envelope.rcpt_tos),
                message_from_bytes(envelope.content, policy=policy.default),
            )
        )
        return "250 OK"


def autenticar(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USUARIO.encode(),
        CLAVE.encode(),
    )
    # handled=False: the server answers 535 itself.
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def servidor() -> Iterator[tuple[Recibidos, int]]:
    recibidos = Recibidos()
    puerto = puerto_libre()
    controlador = Controller(
        recibidos,
        hostname="127.0.0.1",
        port=puerto,
        authenticator=autenticar,
        auth_require_tls=False,
    )
    controlador.start()
    try:
        yield recibidos, puerto
    finally:
        controlador.stop()


async def test_el_correo_llega_al_servidor_smtp_con_remitente_asunto_y_texto(
    servidor: tuple[Recibidos, int],
) -> None:
    recibidos, puerto = servidor
    correo = SmtpCorreo(f"smtp://{USUARIO}:{CLAVE}@127.0.0.1:{puerto}", remitente=REMITENTE)
    await correo.enviar(MENSAJE)
    [(de, para, mensaje)] = recibidos.mensajes
    assert de == "no-responder@ieem.org.mx"
    assert para == ["supervision@pan.org.mx"]
    assert isinstance(mensaje, EmailMessage)
    assert mensaje["Subject"] == MENSAJE.asunto
    assert mensaje.get_content().strip() == MENSAJE.cuerpo


async def test_una_clave_smtp_equivocada_se_informa_como_correo_no_enviado(
    servidor: tuple[Recibidos, int],
) -> None:
    _, puerto = servidor
    correo = SmtpCorreo(f"smtp://{USUARIO}:otra@127.0.0.1:{puerto}", remitente=REMITENTE)
    with pytest.raises(CorreoNoEnviado, match="SMTPAuthenticationError"):
        await correo.enviar(MENSAJE)


async def test_un_servidor_smtp_apagado_se_informa_como_correo_no_enviado() -> None:
    correo = SmtpCorreo(f"smtp://127.0.0.1:{puerto_libre()}", remitente=REMITENTE, espera=5)
    with pytest.raises(CorreoNoEnviado):
        await correo.enviar(MENSAJE)


def test_una_url_smtp_mal_escrita_se_rechaza_con_su_forma_correcta() -> None:
    with pytest.raises(ValueError, match="smtp://usuario:clave@servidor:puerto"):
        SmtpCorreo("http://correo.ieem.org.mx", remitente=REMITENTE)
