"""Rules of account management: usernames, designations, records and delivery packages."""

from datetime import UTC, date, datetime, timedelta

import pytest

from comun.roles import Rol
from identidad.domain import PATRON_USUARIO, DatosCuentaInvalidos
from identidad.domain.gestion import (
    Conflicto,
    CuentaPaquete,
    Designacion,
    EstadoPaquete,
    Ficha,
    MotivoClave,
    OrigenCuenta,
    Paquete,
    Participante,
    TipoParticipante,
    comprobar_telefono,
    motivo_de,
    numeros_usados,
    participante_de_candidatura,
    pendiente,
    separar_nombre,
    usuario_candidatura,
    usuario_captura,
    usuario_de_correo,
    usuario_supervision,
)

AHORA = datetime(2024, 4, 10, 16, 0, tzinfo=UTC)


def ficha(usuario: str = "pan.captura.01", **cambios: object) -> Ficha:
    datos: dict[str, object] = {
        "usuario": usuario,
        "cuenta_id": f"id-{usuario}",
        "nombre": "Captura PAN 01",
        "rol": Rol.PARTIDO,
        "origen": OrigenCuenta.CAPTURA,
        "creada": AHORA,
        "partido": "PAN",
        "participante": "PAN",
        **cambios,
    }
    return Ficha(**datos)  # type: ignore[arg-type]


def paquete(*usuarios: str) -> Paquete:
    return Paquete.generar(
        clave="PAN",
        destinatario="Partido PAN — Partido Acción Nacional",
        cuentas=[
            CuentaPaquete(
                usuario=u,
                nombre=u,
                rol=Rol.PARTIDO,
                cuenta_id=f"id-{u}",
                motivo=MotivoClave.ENTREGA,
                partido="PAN",
            )
            for u in usuarios or ("pan.captura.01",)
        ],
        motivo=MotivoClave.ENTREGA,
        ahora=AHORA,
        generado_por="admin",
        participante="PAN",
    )


def test_las_cuentas_genericas_se_llaman_siglas_captura_y_numero_de_dos_cifras() -> None:
    assert usuario_captura("PAN", 3) == "pan.captura.03"
    assert usuario_captura("Morena", 12) == "morena.captura.12"
    assert usuario_supervision("PVEM", 1) == "pvem.supervision.01"


def test_las_siglas_pierden_acentos_y_simbolos_en_el_usuario() -> None:
    assert usuario_captura("PAÑ-México", 1) == "panmexico.captura.01"


def test_siglas_sin_letras_ni_digitos_no_forman_usuario() -> None:
    with pytest.raises(DatosCuentaInvalidos):
        usuario_captura("---", 1)


def test_la_cuenta_de_una_candidatura_lleva_su_folio_en_minusculas() -> None:
    assert usuario_candidatura("AY-15010-RM01-IND-01-P") == "cand.ay-15010-rm01-ind-01-p"


def test_un_folio_que_cambia_al_limpiarlo_lleva_una_huella_para_no_chocar() -> None:
    uno = usuario_candidatura("DL 05/MR Peña")
    otro = usuario_candidatura("DL-05-MR-Pena")

    assert uno.startswith("cand.dl-05-mr-pena-")
    assert otro == "cand.dl-05-mr-pena"
    assert uno != otro


def test_un_folio_muy_largo_se_recorta_a_un_usuario_valido_y_unico() -> None:
    base = "X" * 80
    uno, otro = usuario_candidatura(base + "1"), usuario_candidatura(base + "2")

    assert len(uno) <= 64 and PATRON_USUARIO.fullmatch(uno)
    assert uno != otro


def test_con_huella_el_usuario_de_la_candidatura_es_otro_pero_el_mismo_cada_vez() -> None:
    normal = usuario_candidatura("DL-MR-06-PAN-P")

    assert usuario_candidatura("DL-MR-06-PAN-P", con_huella=True) != normal
    assert usuario_candidatura("DL-MR-06-PAN-P", con_huella=True) == usuario_candidatura(
        "DL-MR-06-PAN-P", con_huella=True
    )


def test_el_usuario_del_personal_sale_del_correo() -> None:
    assert usuario_de_correo("Ana.Pérez@ieem.org.mx") == "ana.perez"
    with pytest.raises(DatosCuentaInvalidos):
        usuario_de_correo("a@ieem.org.mx")


def test_los_numeros_usados_se_leen_de_los_usuarios_con_el_prefijo() -> None:
    usuarios = ["pan.captura.03", "pan.captura.01", "pan.captura.xx", "pri.captura.02"]

    assert numeros_usados(usuarios, "pan.captura.") == [1, 3]


@pytest.mark.parametrize(
    ("nombre", "partes"),
    [
        ("Rosa Elena Martínez Villegas", ("Rosa Elena", "Martínez Villegas")),
        ("Juan Pérez", ("Juan", "Pérez")),
        ("Xóchitl", ("Xóchitl", "(sin apellidos)")),
    ],
)
def test_el_nombre_completo_se_separa_en_nombre_y_apellidos(
    nombre: str, partes: tuple[str, str]
) -> None:
    assert separar_nombre(nombre) == partes


def test_el_telefono_pide_diez_digitos_y_dice_cuantos_recibio() -> None:
    assert comprobar_telefono("(722) 123-4567") == "7221234567"
    assert comprobar_telefono("+52 722 123 4567") == "7221234567"
    with pytest.raises(DatosCuentaInvalidos, match="10 dígitos; recibimos 8"):
        comprobar_telefono("12345678")


def designacion(**cambios: object) -> Designacion:
    datos: dict[str, object] = {
        "id": "d1",
        "partido": "PAN",
        "nombre": " Rosa  Elena ",
        "apellidos": "Martínez Villegas",
        "correo": "Rosa@Ejemplo.MX",
        "telefono": "7221234567",
        "oficio": "PAN/045/2024",
        "fecha_oficio": date(2024, 3, 15),
        "usuario": "pan.supervision.01",
        "ahora": AHORA,
        "registrada_por": "admin",
        **cambios,
    }
    return Designacion.registrar(**datos)  # type: ignore[arg-type]


def test_la_designacion_limpia_el_nombre_y_el_correo() -> None:
    registrada = designacion()

    assert registrada.nombre_completo == "Rosa Elena Martínez Villegas"
    assert registrada.correo == "rosa@ejemplo.mx"


@pytest.mark.parametrize(
    ("cambios", "fragmento"),
    [
        ({"oficio": "  "}, "oficio"),
        ({"correo": "sin-arroba"}, "correo"),
        ({"telefono": "722"}, "10 dígitos"),
        ({"fecha_oficio": date(2024, 4, 11)}, "posterior a hoy"),
        ({"apellidos": ""}, "apellidos"),
    ],
)
def test_la_designacion_incompleta_dice_que_falta(
    cambios: dict[str, object], fragmento: str
) -> None:
    with pytest.raises(DatosCuentaInvalidos, match=fragmento):
        designacion(**cambios)


def test_una_cuenta_deshabilitada_no_se_deshabilita_otra_vez_ni_se_restablece() -> None:
    registro = ficha()
    registro.deshabilitar("Cambio de representante")

    with pytest.raises(Conflicto, match="ya está deshabilitada"):
        registro.deshabilitar("Otra vez")
    with pytest.raises(Conflicto, match="habilítela"):
        registro.comprobar_restablecible()


def test_deshabilitar_pide_motivo() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="motivo"):
        ficha().deshabilitar("   ")


def test_habilitar_una_cuenta_activa_es_un_conflicto() -> None:
    with pytest.raises(Conflicto, match="ya está habilitada"):
        ficha().habilitar()


def test_un_paquete_sin_cuentas_pendientes_sugiere_reemitir() -> None:
    with pytest.raises(Conflicto, match="Reemitir"):
        Paquete.generar(
            clave="PAN",
            destinatario="Partido PAN",
            cuentas=[],
            motivo=MotivoClave.ENTREGA,
            ahora=AHORA,
            generado_por="admin",
        )


def test_el_folio_del_paquete_lleva_la_clave_y_el_momento() -> None:
    assert paquete().folio == "pan-20240410-160000-000"


def test_el_paquete_ordena_supervision_captura_y_candidaturas() -> None:
    cuentas = [
        CuentaPaquete("cand.x", "X", Rol.CANDIDATURA, "1", MotivoClave.ENTREGA),
        CuentaPaquete("pan.captura.01", "C", Rol.PARTIDO, "2", MotivoClave.ENTREGA),
        CuentaPaquete("pan.supervision.01", "S", Rol.SUPERVISOR, "3", MotivoClave.ENTREGA),
    ]
    generado = Paquete.generar(
        clave="PAN",
        destinatario="PAN",
        cuentas=cuentas,
        motivo=MotivoClave.ENTREGA,
        ahora=AHORA,
        generado_por="admin",
    )

    assert [c.usuario for c in generado.cuentas] == [
        "pan.supervision.01",
        "pan.captura.01",
        "cand.x",
    ]


def test_entregar_dos_veces_el_mismo_paquete_explica_que_hay_que_reemitir() -> None:
    entregado = paquete()
    entregado.registrar_entrega(recibio="Luis Pérez", entrego="admin", momento=AHORA, ahora=AHORA)

    with pytest.raises(Conflicto, match="ya se entregó el 10/04/2024 a Luis Pérez"):
        entregado.registrar_entrega(
            recibio="Luis Pérez", entrego="admin", momento=AHORA, ahora=AHORA
        )


def test_un_paquete_reemplazado_ya_no_se_entrega() -> None:
    viejo = paquete()
    viejo.reemplazar(por="pan-20240410-170000")

    with pytest.raises(Conflicto, match="reemplazado por el pan-20240410-170000"):
        viejo.registrar_entrega(recibio="Ana", entrego="admin", momento=AHORA, ahora=AHORA)


def test_un_paquete_entregado_no_se_marca_reemplazado() -> None:
    entregado = paquete()
    entregado.registrar_entrega(recibio="Ana", entrego="admin", momento=AHORA, ahora=AHORA)

    assert not entregado.reemplazar(por="otro")
    assert entregado.estado is EstadoPaquete.ENTREGADO


@pytest.mark.parametrize(
    ("momento", "fragmento"),
    [(AHORA + timedelta(hours=1), "futuras"), (AHORA - timedelta(days=1), "anteriores")],
)
def test_la_fecha_de_entrega_no_es_futura_ni_anterior_al_paquete(
    momento: datetime, fragmento: str
) -> None:
    with pytest.raises(DatosCuentaInvalidos, match=fragmento):
        paquete().registrar_entrega(recibio="Ana", entrego="admin", momento=momento, ahora=AHORA)


def test_la_entrega_pide_quien_recibe() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="quien recibe"):
        paquete().registrar_entrega(recibio=" ", entrego="admin", momento=AHORA, ahora=AHORA)


def test_el_primer_paquete_de_una_cuenta_es_su_entrega_y_los_siguientes_llevan_su_motivo() -> None:
    assert motivo_de(ficha(), MotivoClave.REENTREGA) is MotivoClave.ENTREGA
    assert motivo_de(ficha(paquete="pan-1"), MotivoClave.EXTRAVIO) is MotivoClave.EXTRAVIO


def test_una_cuenta_esta_pendiente_hasta_que_su_paquete_se_entrega() -> None:
    assert pendiente(ficha(), None)
    assert pendiente(ficha(paquete="p"), EstadoPaquete.GENERADO)
    assert pendiente(ficha(paquete="p"), EstadoPaquete.REEMPLAZADO)
    assert not pendiente(ficha(paquete="p"), EstadoPaquete.ENTREGADO)
    assert not pendiente(ficha(habilitada=False), None)


INDEPENDIENTES = [
    Participante("IND-01", "Luis Fernando Ambrosio Flores", TipoParticipante.INDEPENDIENTE)
]


def test_la_cuenta_de_una_candidatura_de_partido_va_en_el_paquete_de_su_partido() -> None:
    assert (
        participante_de_candidatura(
            partido="PAN", nombre_postulante="Coalición", independientes=INDEPENDIENTES
        )
        == "PAN"
    )


def test_la_de_una_independiente_va_en_el_paquete_de_su_planilla_por_nombre() -> None:
    assert (
        participante_de_candidatura(
            partido=None,
            nombre_postulante="luis fernando  AMBROSIO flores",
            independientes=INDEPENDIENTES,
        )
        == "IND-01"
    )
    assert (
        participante_de_candidatura(
            partido=None, nombre_postulante="Otra planilla", independientes=INDEPENDIENTES
        )
        is None
    )
