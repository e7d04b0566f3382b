"""Cuestionario curricular: cleaning, format rules, limits, catalogs and completeness."""

from typing import Any

import pytest

from captura.domain.curricular import (
    CAMPOS,
    ETIQUETAS_ESTATUS,
    ETIQUETAS_GRADO,
    SECCIONES,
    ConfiguracionCurricular,
    porcentaje_completo,
    validar_campo,
    validar_curricular,
)
from comun.eventos.vocabulario import CampoCurricular, EstatusEstudios, GradoEstudios

CONFIG = ConfiguracionCurricular()


def limpio(clave: str, valor: Any, config: ConfiguracionCurricular = CONFIG) -> Any:
    """The clean value of a field that must be valid."""
    valor_limpio, error = validar_campo(clave, valor, config=config)
    assert error is None, error
    return valor_limpio


def error(clave: str, valor: Any, config: ConfiguracionCurricular = CONFIG) -> str:
    """The error of a field that must be invalid."""
    valor_limpio, mensaje = validar_campo(clave, valor, config=config)
    assert mensaje is not None, f"se aceptó {valor_limpio!r}"
    assert valor_limpio is None
    return mensaje


# Configuración


def test_la_configuracion_por_omision_tiene_los_limites_de_dominio() -> None:
    config = ConfiguracionCurricular.desde_dict(None)
    assert (config.limite_curso, config.max_cursos, config.limite_propuesta) == (250, 20, 1600)
    assert config.limite("historia_profesional") == 5000
    assert config.limite("motivo_cargo_publico") == 2500


def test_la_configuracion_acepta_limites_y_catalogos_de_la_eleccion() -> None:
    config = ConfiguracionCurricular.desde_dict({"limite_propuesta": 800, "grados": ["primaria"]})
    assert config.limite("propuesta_genero") == 800
    assert config.grados == (GradoEstudios.PRIMARIA,)


def test_la_configuracion_rechaza_claves_desconocidas() -> None:
    with pytest.raises(ValueError, match="no reconoce «limite_propuestas»"):
        ConfiguracionCurricular.desde_dict({"limite_propuestas": 800})


def test_la_configuracion_rechaza_limites_que_no_son_enteros_positivos() -> None:
    with pytest.raises(ValueError, match="entero mayor que 0"):
        ConfiguracionCurricular.desde_dict({"limite_curso": 0})


def test_la_configuracion_rechaza_un_grado_que_no_existe() -> None:
    with pytest.raises(ValueError, match="«bachiller»"):
        ConfiguracionCurricular.desde_dict({"grados": ["bachiller"]})


def test_la_configuracion_rechaza_un_catalogo_vacio() -> None:
    with pytest.raises(ValueError, match="al menos una opción"):
        ConfiguracionCurricular.desde_dict({"estatus": []})


def test_los_campos_sin_limite_de_texto_no_tienen_limite() -> None:
    assert CONFIG.limite("telefono_publico") is None
    assert CONFIG.limite("cursos") == 250


# Campos y secciones


def test_los_campos_cubren_el_cuestionario_salvo_la_fotografia() -> None:
    raices = {c.clave.split(".")[0] for c in CAMPOS}
    esperados = {c.value for c in CampoCurricular} - {"fotografia"} | {"correo_aclaraciones"}
    assert raices == esperados


def test_cada_campo_pertenece_a_una_seccion_y_las_secciones_siguen_el_orden_del_formulario() -> (
    None
):
    orden = list(SECCIONES)
    posiciones = [orden.index(c.seccion) for c in CAMPOS]
    assert posiciones == sorted(posiciones)


def test_solo_el_correo_para_aclaraciones_es_privado() -> None:
    assert [c.clave for c in CAMPOS if not c.publico] == ["correo_aclaraciones"]


def test_las_propuestas_llevan_la_guia_de_poblacion_metas_plazos_y_via() -> None:
    propuestas = [c for c in CAMPOS if c.seccion == "propuestas"]
    assert all("población objetivo" in c.ayuda and "plazos" in c.ayuda for c in propuestas)


def test_las_etiquetas_de_grado_y_estatus_son_las_de_dominio() -> None:
    assert ETIQUETAS_GRADO[GradoEstudios.PREPARATORIA] == "Preparatoria/Bachillerato"
    assert ETIQUETAS_ESTATUS[EstatusEstudios.CEDULA_PROFESIONAL] == "Cédula profesional"
    assert set(ETIQUETAS_GRADO) == {g.value for g in GradoEstudios}


# Texto


def test_el_texto_se_recorta_y_unifica_los_saltos_de_linea() -> None:
    assert limpio("historia_profesional", "  uno\r\ndos\rtres  ") == "uno\ndos\ntres"


def test_el_texto_se_normaliza_a_nfc() -> None:
    assert limpio("propuesta_1", "Educacio\u0301n") == "Educación"


def test_el_limite_cuenta_caracteres_y_no_bytes() -> None:
    assert limpio("propuesta_1", "ñ" * 1600) == "ñ" * 1600


def test_el_limite_se_cuenta_despues_de_normalizar() -> None:
    assert limpio("propuesta_1", "n\u0303" * 1600) == "ñ" * 1600


def test_un_texto_que_pasa_el_limite_dice_el_maximo_y_lo_recibido() -> None:
    mensaje = error("historia_profesional", "a" * 5012)
    assert "5,012 caracteres; el máximo es 5,000" in mensaje


def test_el_limite_de_texto_sale_de_la_configuracion() -> None:
    config = ConfiguracionCurricular(limite_motivo_cargo_publico=10)
    assert "el máximo es 10" in error("motivo_cargo_publico", "a" * 11, config)


def test_un_caracter_de_control_se_rechaza_diciendo_donde_esta() -> None:
    mensaje = error("trayectoria_politica", "hola\x07mundo")
    assert "U+0007" in mensaje and "posición 5" in mensaje


def test_los_tabuladores_se_aceptan_en_textos_largos() -> None:
    assert limpio("historia_profesional", "2010\tRegidora") == "2010\tRegidora"


def test_el_html_se_guarda_tal_cual_porque_escapar_es_trabajo_de_la_vista() -> None:
    assert limpio("propuesta_2", "<script>alert(1)</script>") == "<script>alert(1)</script>"


def test_un_texto_vacio_o_de_espacios_queda_ausente_sin_error() -> None:
    limpios, errores = validar_curricular(
        {"historia_profesional": "   ", "propuesta_1": None}, config=CONFIG
    )
    assert (limpios, errores) == ({}, {})


def test_un_valor_que_no_es_texto_se_rechaza() -> None:
    assert "Se esperaba un texto" in error("propuesta_1", {"a": 1})


# Teléfono


def test_telefono_con_separadores_se_guarda_en_10_digitos() -> None:
    assert limpio("telefono_publico", "(55) 1234-56.78") == "5512345678"


@pytest.mark.parametrize("telefono", ["+52 55 1234 5678", "52 5512345678", "0052 55 1234 5678"])
def test_telefono_con_lada_internacional_se_guarda_en_10_digitos(telefono: str) -> None:
    assert limpio("telefono_publico", telefono) == "5512345678"


@pytest.mark.parametrize("telefono", ["044 55 1234 5678", "045 55 1234 5678", "01 55 1234 5678"])
def test_telefono_con_prefijo_anterior_a_2019_se_guarda_en_10_digitos(telefono: str) -> None:
    assert limpio("telefono_publico", telefono) == "5512345678"


def test_telefono_celular_con_el_antiguo_mas_52_1_se_guarda_en_10_digitos() -> None:
    assert limpio("telefono_publico", "+52 1 55 1234 5678") == "5512345678"


def test_telefono_leido_como_numero_de_hoja_de_calculo_se_acepta() -> None:
    assert limpio("telefono_publico", 5512345678.0) == "5512345678"


def test_telefono_con_pocos_digitos_dice_cuantos_recibimos() -> None:
    assert error("telefono_publico", "5512 3456") == (
        "El teléfono debe tener 10 dígitos; recibimos 8."
    )


def test_telefono_con_letras_se_rechaza_con_un_ejemplo() -> None:
    assert "tiene letras" in error("telefono_publico", "55 1234 5678 ext 12")


def test_telefono_con_otro_simbolo_dice_cual() -> None:
    assert "«/»" in error("telefono_publico", "55/1234/5678")


def test_telefono_de_otro_pais_se_rechaza() -> None:
    assert "Solo se aceptan teléfonos de México" in error("telefono_publico", "+1 555 123 4567")


def test_telefono_que_empieza_con_cero_tras_quitar_prefijos_se_rechaza() -> None:
    assert "empieza con 0" in error("telefono_publico", "0123456789")


def test_telefono_en_dos_lineas_se_rechaza() -> None:
    assert "una sola línea" in error("telefono_publico", "55 1234\n5678")


# Correos


def test_correo_valido_se_guarda_con_el_dominio_en_minusculas() -> None:
    assert limpio("correo_publico", " Ana.Perez@Ejemplo.MX ") == "Ana.Perez@ejemplo.mx"


@pytest.mark.parametrize(
    ("correo", "motivo"),
    [
        ("ana.ejemplo.mx", "le falta la arroba"),
        ("ana@@ejemplo.mx", "más de una arroba"),
        ("ana perez@ejemplo.mx", "espacios"),
        ("ana@ejemplo", "no tiene terminación"),
        ("ana@ejemplo.m", "terminación de letras"),
        ("ana@-ejemplo.mx", "no es válido"),
        ("@ejemplo.mx", "Falta el nombre"),
        ("ana..perez@ejemplo.mx", "dos puntos seguidos"),
        ("peña@ejemplo.mx", "«ñ»"),
    ],
)
def test_correo_mal_escrito_dice_que_corregir(correo: str, motivo: str) -> None:
    assert motivo in error("correo_publico", correo)


def test_correo_de_mas_de_254_caracteres_se_rechaza() -> None:
    largo = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".mx"
    assert "el máximo es 254" in error("correo_publico", largo)


def test_correo_con_mailto_se_guarda_sin_el_prefijo() -> None:
    assert limpio("correo_publico", "mailto:ana@ejemplo.mx") == "ana@ejemplo.mx"


def test_correo_para_aclaraciones_se_valida_igual_que_el_publico() -> None:
    assert "arroba" in error("correo_aclaraciones", "ana.ejemplo.mx")
    assert limpio("correo_aclaraciones", "ana@partido.org.mx") == "ana@partido.org.mx"


# Página web y otra red


def test_pagina_web_sin_esquema_recibe_https() -> None:
    assert (
        limpio("pagina_web", "www.AnaPerez.mx/propuestas") == "https://www.anaperez.mx/propuestas"
    )


def test_pagina_web_conserva_la_consulta() -> None:
    assert limpio("pagina_web", "http://ana.mx/p?id=3") == "http://ana.mx/p?id=3"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x"])
def test_pagina_web_con_javascript_o_data_se_rechaza(url: str) -> None:
    assert "No se aceptan direcciones" in error("pagina_web", url)


def test_pagina_web_con_otro_esquema_se_rechaza() -> None:
    assert "http:// o https://" in error("pagina_web", "ftp://ana.mx")


def test_pagina_web_con_usuario_y_contrasena_se_rechaza() -> None:
    assert "usuario ni contraseña" in error("pagina_web", "https://yo:secreto@ana.mx")


def test_pagina_web_sin_dominio_con_punto_se_rechaza() -> None:
    assert "no tiene terminación" in error("pagina_web", "https://intranet/")


def test_pagina_web_con_espacios_se_rechaza() -> None:
    assert "espacios" in error("pagina_web", "ana perez.mx")


def test_pagina_web_de_mas_de_300_caracteres_se_rechaza() -> None:
    assert "el máximo es 300" in error("pagina_web", "https://ana.mx/" + "a" * 290)


def test_otra_red_acepta_un_enlace_de_otro_sitio() -> None:
    assert limpio("redes_sociales.otra", "linkedin.com/in/ana") == "https://linkedin.com/in/ana"


def test_otra_red_con_un_enlace_de_una_red_conocida_pide_su_campo() -> None:
    assert error("redes_sociales.otra", "https://instagram.com/ana") == (
        "Ese enlace es de Instagram; escríbalo en el campo de Instagram."
    )


# Redes sociales


@pytest.mark.parametrize(
    ("clave", "valor", "canonico"),
    [
        ("facebook", "https://m.facebook.com/ana.perez?ref=bookmarks", "https://www.facebook.com/ana.perez"),
        ("facebook", "fb.com/anaperez", "https://www.facebook.com/anaperez"),
        ("facebook", "facebook.com/profile.php?id=1000123", "https://www.facebook.com/profile.php?id=1000123"),
        ("x", "https://twitter.com/ana_p", "https://x.com/ana_p"),
        ("x", "www.x.com/ana_p/status/123", "https://x.com/ana_p"),
        ("instagram", "https://www.instagram.com/ana.perez/", "https://www.instagram.com/ana.perez"),
        ("youtube", "youtube.com/@AnaPerez", "https://www.youtube.com/@AnaPerez"),
        ("youtube", "https://www.youtube.com/channel/UC1234567890abcdefghijkl", "https://www.youtube.com/channel/UC1234567890abcdefghijkl"),
        ("youtube", "youtube.com/c/AnaPerez", "https://www.youtube.com/c/AnaPerez"),
        ("youtube", "youtube.com/user/anaperez", "https://www.youtube.com/user/anaperez"),
        ("tiktok", "https://www.tiktok.com/@ana.perez?lang=es", "https://www.tiktok.com/@ana.perez"),
    ],
)  # fmt: skip
def test_un_enlace_de_perfil_se_guarda_en_su_forma_canonica(
    clave: str, valor: str, canonico: str
) -> None:
    assert limpio(f"redes_sociales.{clave}", valor) == canonico


@pytest.mark.parametrize(
    ("clave", "valor", "canonico"),
    [
        ("facebook", "ana.perez", "https://www.facebook.com/ana.perez"),
        ("x", "@ana_p", "https://x.com/ana_p"),
        ("instagram", "@ana.perez", "https://www.instagram.com/ana.perez"),
        ("youtube", "@AnaPerez", "https://www.youtube.com/@AnaPerez"),
        ("tiktok", "ana_perez", "https://www.tiktok.com/@ana_perez"),
    ],
)
def test_un_nombre_de_usuario_con_o_sin_arroba_se_guarda_como_enlace(
    clave: str, valor: str, canonico: str
) -> None:
    assert limpio(f"redes_sociales.{clave}", valor) == canonico


def test_un_enlace_en_el_campo_de_otra_red_pide_el_campo_correcto() -> None:
    assert error("redes_sociales.facebook", "https://www.instagram.com/ana") == (
        "Ese enlace es de Instagram; escríbalo en el campo de Instagram."
    )


def test_un_enlace_de_un_sitio_que_no_es_la_red_se_rechaza() -> None:
    assert "no es de X" in error("redes_sociales.x", "https://ana.mx/x")


def test_una_pagina_web_escrita_como_usuario_de_facebook_se_rechaza() -> None:
    assert "no es de Facebook" in error("redes_sociales.facebook", "anaperez.com")


@pytest.mark.parametrize(
    ("clave", "usuario", "motivo"),
    [
        ("facebook", "ana", "de 5 a 50 caracteres; recibimos 3"),
        ("facebook", "ana_perez", "«_»"),
        ("x", "ana_perez_gonzalez", "de 1 a 15 caracteres; recibimos 18"),
        ("x", "ana.perez", "«.»"),
        ("instagram", "a" * 31, "de 1 a 30"),
        ("instagram", ".ana", "empezar ni terminar con punto"),
        ("instagram", "ana.", "empezar ni terminar con punto"),
        ("instagram", "ana..perez", "dos puntos seguidos"),
        ("youtube", "@ab", "de 3 a 30"),
        ("youtube", "@ana perez", "espacios"),
        ("tiktok", "a", "de 2 a 24"),
        ("tiktok", "ana.", "terminar con punto"),
        ("tiktok", "ana-perez", "«-»"),
        ("x", "añá", "«ñ»"),
    ],
)
def test_un_usuario_que_no_cumple_las_reglas_de_su_red_se_rechaza(
    clave: str, usuario: str, motivo: str
) -> None:
    assert motivo in error(f"redes_sociales.{clave}", usuario)


@pytest.mark.parametrize(
    ("clave", "enlace"),
    [
        ("instagram", "https://www.instagram.com/p/Cx123/"),
        ("facebook", "https://www.facebook.com/share/abc123/"),
        ("facebook", "https://www.facebook.com/profile.php"),
        ("youtube", "https://youtu.be/dQw4w9WgXcQ"),
        ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("tiktok", "https://vm.tiktok.com/ZM123/"),
        ("x", "https://x.com/search?q=ana"),
    ],
)
def test_un_enlace_a_una_publicacion_y_no_al_perfil_se_rechaza(clave: str, enlace: str) -> None:
    assert "no es de un" in error(f"redes_sociales.{clave}", enlace)


def test_una_red_que_no_esta_en_el_cuestionario_se_manda_a_otra() -> None:
    assert "«Otra red social»" in error("redes_sociales.linkedin", "ana")


def test_las_redes_se_aceptan_anidadas_o_con_claves_planas() -> None:
    limpios, errores = validar_curricular(
        {"redes_sociales": {"x": "@ana", "facebook": ""}, "redes_sociales.tiktok": "@ana_p"},
        config=CONFIG,
    )
    assert errores == {}
    assert limpios["redes_sociales"] == {
        "x": "https://x.com/ana",
        "tiktok": "https://www.tiktok.com/@ana_p",
    }


def test_el_error_de_una_red_anidada_se_informa_con_la_clave_plana() -> None:
    _, errores = validar_curricular({"redes_sociales": {"x": "ana.perez"}}, config=CONFIG)
    assert list(errores) == ["redes_sociales.x"]


def test_validar_campo_acepta_todas_las_redes_juntas() -> None:
    valor = limpio("redes_sociales", {"instagram": "ana"})
    assert valor == {"instagram": "https://www.instagram.com/ana"}


# Domicilio


def test_domicilio_valido_se_guarda_en_una_linea() -> None:
    domicilio = "Av. Juárez 15, Centro, Morelia, 58000"
    assert limpio("domicilio_casa_campana", domicilio) == domicilio


def test_domicilio_demasiado_corto_pide_calle_numero_y_colonia() -> None:
    assert "muy corto (6 caracteres)" in error("domicilio_casa_campana", "Centro")


def test_domicilio_solo_con_numeros_se_rechaza() -> None:
    assert "no solo números" in error("domicilio_casa_campana", "12345 67890")


def test_domicilio_en_varias_lineas_se_rechaza() -> None:
    assert "una sola línea" in error("domicilio_casa_campana", "Av. Juárez 15\nCentro")


def test_domicilio_respeta_el_limite_de_la_configuracion() -> None:
    config = ConfiguracionCurricular(limite_domicilio=20)
    assert "el máximo es 20" in error("domicilio_casa_campana", "Calle " + "x" * 20, config)


# Grado y estatus


@pytest.mark.parametrize(
    ("texto", "codigo"),
    [
        ("licenciatura", "licenciatura"),
        ("Licenciatura", "licenciatura"),
        ("MAESTRIA", "maestria"),
        ("Preparatoria/Bachillerato", "preparatoria"),
        ("bachillerato", "preparatoria"),
        ("Carrera técnica", "carrera_tecnica"),
        ("carrera_tecnica", "carrera_tecnica"),
        ("sin estudios", "sin_estudios"),
    ],
)
def test_el_grado_se_reconoce_por_codigo_o_por_etiqueta(texto: str, codigo: str) -> None:
    assert limpio("grado_maximo_estudios", texto) == codigo


@pytest.mark.parametrize(
    ("texto", "codigo"),
    [("Título", "titulo"), ("titulo", "titulo"), ("Cédula profesional", "cedula_profesional")],
)
def test_el_estatus_se_reconoce_por_codigo_o_por_etiqueta(texto: str, codigo: str) -> None:
    limpios, errores = validar_curricular(
        {"grado_maximo_estudios": "Licenciatura", "estatus_estudios": texto}, config=CONFIG
    )
    assert errores == {}
    assert limpios["estatus_estudios"] == codigo


def test_un_grado_desconocido_lista_las_opciones() -> None:
    mensaje = error("grado_maximo_estudios", "Ingeniería")
    assert "No reconocemos el grado «Ingeniería»" in mensaje and "Posdoctorado" in mensaje


def test_un_grado_fuera_del_catalogo_de_la_eleccion_se_rechaza() -> None:
    config = ConfiguracionCurricular(grados=(GradoEstudios.PRIMARIA, GradoEstudios.SECUNDARIA))
    assert "no se usa en esta elección" in error("grado_maximo_estudios", "Maestría", config)


def test_un_estatus_sin_grado_se_rechaza() -> None:
    limpios, errores = validar_curricular({"estatus_estudios": "Concluido"}, config=CONFIG)
    assert "grado máximo de estudios" in errores["estatus_estudios"]
    assert "estatus_estudios" not in limpios


def test_sin_estudios_no_lleva_estatus() -> None:
    _, errores = validar_curricular(
        {"grado_maximo_estudios": "Sin estudios", "estatus_estudios": "Trunco"}, config=CONFIG
    )
    assert "borre el estatus" in errores["estatus_estudios"]


def test_un_grado_invalido_no_agrega_un_error_de_estatus() -> None:
    _, errores = validar_curricular(
        {"grado_maximo_estudios": "Ingeniería", "estatus_estudios": "Trunco"}, config=CONFIG
    )
    assert list(errores) == ["grado_maximo_estudios"]


# Cursos


def test_cursos_en_un_texto_van_uno_por_renglon_sin_renglones_vacios() -> None:
    assert limpio("cursos", "Diplomado A\r\n\r\n  Curso B  \n") == ["Diplomado A", "Curso B"]


def test_cursos_en_una_lista_se_limpian() -> None:
    assert limpio("cursos", [" Curso A ", "", None, "Curso B"]) == ["Curso A", "Curso B"]


def test_cursos_repetidos_se_guardan_una_vez() -> None:
    assert limpio("cursos", ["Curso de Gestión", "curso de gestion", "Otro"]) == [
        "Curso de Gestión",
        "Otro",
    ]


def test_cursos_pierden_las_vinetas_que_se_pegan_de_un_documento() -> None:
    assert limpio("cursos", "- Curso A\n• Curso B") == ["Curso A", "Curso B"]


def test_un_curso_largo_dice_cual_es() -> None:
    cursos = ["Curso A", "Curso B", "x" * 260]
    assert error("cursos", cursos) == "El curso 3 tiene 260 caracteres; el máximo es 250."


def test_un_curso_con_salto_de_linea_dentro_de_una_lista_se_rechaza() -> None:
    assert error("cursos", ["Curso A", "Curso\nB"]).startswith("El curso 2: este dato")


def test_mas_cursos_de_los_permitidos_se_rechazan() -> None:
    config = ConfiguracionCurricular(max_cursos=2)
    mensaje = error("cursos", ["A", "B", "C"], config)
    assert mensaje.startswith("Se pueden registrar hasta 2 cursos; recibimos 3.")


def test_el_limite_por_curso_sale_de_la_configuracion() -> None:
    config = ConfiguracionCurricular(limite_curso=5)
    assert "el máximo es 5." in error("cursos", "Curso largo", config)


def test_una_lista_de_cursos_vacia_queda_ausente() -> None:
    assert validar_curricular({"cursos": ["", "  "]}, config=CONFIG) == ({}, {})


# Cuestionario completo


def test_un_cuestionario_completo_se_limpia_con_la_forma_de_las_respuestas() -> None:
    limpios, errores = validar_curricular(
        {
            "telefono_publico": "55 1234 5678",
            "correo_publico": "ana@ejemplo.mx",
            "redes_sociales": {"x": "@ana"},
            "grado_maximo_estudios": "Maestría",
            "estatus_estudios": "Título",
            "cursos": "Diplomado A",
            "propuesta_1": "Becas",
            "correo_aclaraciones": "enlace@partido.mx",
        },
        config=CONFIG,
    )
    assert errores == {}
    assert limpios == {
        "telefono_publico": "5512345678",
        "correo_publico": "ana@ejemplo.mx",
        "redes_sociales": {"x": "https://x.com/ana"},
        "grado_maximo_estudios": "maestria",
        "estatus_estudios": "titulo",
        "cursos": ["Diplomado A"],
        "propuesta_1": "Becas",
        "correo_aclaraciones": "enlace@partido.mx",
    }


def test_una_clave_desconocida_se_informa_bajo_esa_clave() -> None:
    _, errores = validar_curricular({"apodo": "Ana"}, config=CONFIG)
    assert errores == {"apodo": "El campo «apodo» no existe en el cuestionario curricular."}


def test_la_fotografia_se_carga_por_separado() -> None:
    assert "por separado" in error("fotografia", "foto.jpg")


def test_un_campo_con_error_no_impide_limpiar_los_demas() -> None:
    limpios, errores = validar_curricular(
        {"telefono_publico": "123", "propuesta_1": "Becas"}, config=CONFIG
    )
    assert list(errores) == ["telefono_publico"]
    assert limpios == {"propuesta_1": "Becas"}


# Porcentaje completo


def test_un_cuestionario_vacio_esta_al_0_por_ciento() -> None:
    assert porcentaje_completo({}) == 0


def test_un_cuestionario_con_todo_esta_al_100_por_ciento() -> None:
    respuestas = {
        "telefono_publico": "5512345678",
        "correo_publico": "ana@ejemplo.mx",
        "pagina_web": "https://ana.mx",
        "redes_sociales": {"x": "https://x.com/ana"},
        "domicilio_casa_campana": "Av. Juárez 15, Centro",
        "grado_maximo_estudios": "licenciatura",
        "estatus_estudios": "titulo",
        "cursos": ["A"],
        "historia_profesional": "…",
        "trayectoria_politica": "…",
        "motivo_cargo_publico": "…",
        "propuesta_1": "…",
        "propuesta_2": "…",
        "propuesta_genero": "…",
    }
    assert porcentaje_completo(respuestas) == 100


def test_las_redes_cuentan_como_una_sola_respuesta() -> None:
    una = porcentaje_completo({"redes_sociales": {"x": "https://x.com/ana"}})
    todas = porcentaje_completo({"redes_sociales": {r: "u" for r in ("x", "facebook", "tiktok")}})
    assert una == todas == 100 // 14


def test_las_redes_con_claves_planas_tambien_cuentan() -> None:
    assert porcentaje_completo({"redes_sociales.x": "https://x.com/ana"}) == 100 // 14


def test_el_correo_para_aclaraciones_no_cuenta_para_el_porcentaje() -> None:
    assert porcentaje_completo({"correo_aclaraciones": "ana@ejemplo.mx"}) == 0


def test_sin_estudios_no_exige_estatus_para_completar() -> None:
    assert porcentaje_completo({"grado_maximo_estudios": "sin_estudios"}) == 100 // 13


def test_el_porcentaje_se_redondea_hacia_abajo() -> None:
    respuestas = {c: "x" for c in ("propuesta_1", "propuesta_2", "propuesta_genero")}
    assert porcentaje_completo(respuestas) == 21


def test_la_direccion_de_una_pagina_de_facebook_con_guiones_es_valida() -> None:
    enlace = "https://www.facebook.com/Karen-Secundino-Vivas-102253345763474/"
    valor, error = validar_campo(
        "redes_sociales.facebook", enlace, config=ConfiguracionCurricular()
    )
    assert (valor, error) == (
        "https://www.facebook.com/Karen-Secundino-Vivas-102253345763474",
        None,
    )


def test_un_enlace_con_arroba_en_la_ruta_se_toma_como_el_usuario() -> None:
    valor, error = validar_campo(
        "redes_sociales.x",
        "https://www.twitter.com/@MichelleMGlez",
        config=ConfiguracionCurricular(),
    )
    assert (valor, error) == ("https://x.com/MichelleMGlez", None)
