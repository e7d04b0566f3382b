"""Word lists of the generator: Mexican given names and surnames, RENAPO codes and rules."""

from comun.eventos.vocabulario import Sexo


def palabras_de(texto: str) -> tuple[str, ...]:
    """The whitespace-separated words of a list written as text."""
    return tuple(texto.split())


# RENAPO codes of the 32 entities, by INEGI key.
ENTIDADES_RENAPO = dict(
    zip(
        (f"{n:02d}" for n in range(1, 33)),
        palabras_de(
            "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS "
            "TL VZ YN ZS"
        ),
        strict=True,
    )
)
NACIDA_EN_EL_EXTRANJERO = "NE"

MUJERES = palabras_de(
    """
    Abigail Adela Adriana Alejandra Alicia Alma Alondra Amalia Amparo Ana Andrea Ángela Angélica
    Antonia Araceli Aurora Azucena Beatriz Begoña Belén Berenice Blanca Brenda Brisa Camila Carla
    Carmen Carolina Catalina Cecilia Celia Cintia Citlali Claudia Concepción Consuelo Cristina
    Dalia Daniela Diana Dolores Dulce Edith Elena Elisa Elizabeth Elsa Elvia Elvira Emilia Erika
    Esperanza Estela Esther Eugenia Eva Evangelina Fabiola Fátima Felipa Fernanda Florencia
    Gabriela Gloria Graciela Guadalupe Herminia Hilda Hortensia Inés Irene Iris Isabel Itzel
    Ivette Ivonne Janet Jazmín Jimena Josefina Juana Judith Julia Karina Karla Laura Leticia Lidia
    Lilia Liliana Lorena Lourdes Lucía Luisa Luz Magdalena Marcela Margarita María Mariana
    Maricela Marisol Martha Mayra Mercedes Minerva Miriam Mónica Nancy Natalia Nayeli Noemí Norma
    Ofelia Olga Paloma Patricia Paula Paulina Perla Pilar Raquel Rebeca Regina Renata Reyna Rocío
    Romina Rosa Rosalía Rosario Rubí Ruth Salomé Sandra Sara Selene Silvia Socorro Sofía Soledad
    Susana Tania Teresa Valentina Valeria Verónica Victoria Viridiana Xóchitl Ximena Yadira
    Yaretzi Yesenia Yolanda Zaira Zoé
    """
)
HOMBRES = palabras_de(
    """
    Abel Abraham Adán Adolfo Adrián Agustín Alberto Alejandro Alfonso Alfredo Álvaro Andrés Ángel
    Anselmo Antonio Armando Arturo Augusto Aurelio Baltasar Bartolomé Benito Benjamín Bernardo
    Braulio Bruno Candelario Carlos César Ciro Cristian Crisóforo Cuauhtémoc Damián Daniel David
    Diego Domingo Eduardo Efraín Eleazar Elías Eliseo Emiliano Emilio Enrique Ernesto Esteban
    Eugenio Eusebio Ezequiel Fausto Federico Felipe Fernando Fidel Florencio Francisco Gabriel
    Gael Gerardo Germán Gilberto Gonzalo Gregorio Guillermo Gustavo Héctor Heriberto Hilario
    Homero Horacio Hugo Humberto Ignacio Íñigo Isaac Ismael Israel Iván Jacinto Jaime Javier
    Jerónimo Jesús Joaquín Joel Jorge José Juan Julián Julio Lázaro Leonardo Leonel Lorenzo Lucas
    Luis Manuel Marcelino Marco Marcos Mario Martín Mateo Mauricio Maximiliano Máximo Miguel
    Moisés Nazario Néstor Nicolás Noé Octavio Omar Óscar Osvaldo Pablo Patricio Pedro Porfirio
    Rafael Ramiro Ramón Raúl Refugio Reynaldo Ricardo Roberto Rodrigo Rogelio Rolando Rubén
    Salvador Samuel Santiago Saúl Sebastián Sergio Simón Tadeo Teodoro Tomás Ulises Uriel
    Valentín Vicente Víctor Wenceslao Xavier Yahir Zacarías
    """
)
APELLIDOS = palabras_de(
    """
    Acevedo Acosta Aguilar Aguirre Alcántara Alvarado Álvarez Anaya Arellano Arriaga Avendaño Ávila
    Barrera Bautista Becerra Beltrán Benítez Bermúdez Bonilla Bravo Briseño Bustamante Cabrera
    Cadena Calderón Camacho Campos Cano Cárdenas Carmona Carreño Carrillo Castillo Castro Cedeño
    Cervantes Chávez Cisneros Contreras Córdova Corona Correa Cortés Coyotl Cruz Cuautle Cuevas
    Dávila Delgado Díaz Domínguez Durán Enríquez Escamilla Escobar Esparza Espinosa Espinoza
    Esquivel Estrada Farías Fernández Figueroa Flores Franco Fuentes Galindo Gallegos Galván
    Gálvez García Garza Gil Godínez Gómez González Guerra Guerrero Gutiérrez Guzmán Hernández
    Herrera Hidalgo Huerta Ibáñez Ibarra Jaramillo Jiménez Juárez Landa Lara León Leyva Limón
    López Lozano Lugo Luna Macías Magaña Maldonado Manríquez Marín Márquez Marroquín Martínez Mata
    Medina Mejía Méndez Mendoza Mercado Meza Miranda Molina Montaño Montes Montoya Mora Morales
    Moreno Muñiz Muñoz Murillo Nava Navarro Nieto Núñez Ocampo Ochoa Olvera Ordóñez Orozco Ortega
    Ortiz Osorio Pacheco Padilla Palacios Paredes Patiño Peña Peñaloza Pérez Pineda Pizarro Ponce
    Quiñones Quintero Quiroz Ramírez Ramos Rangel Rendón Rentería Reyes Ríos Rivera Robles Rocha
    Rodríguez Rojas Romero Rosales Rosas Ruelas Ruiz Saavedra Salas Salazar Saldaña Salinas
    Sánchez Sandoval Santiago Santillán Serrano Silva Solano Solís Sosa Soto Suárez Tapia Téllez
    Toledo Torres Tovar Treviño Trejo Tzompantzi Urbina Uribe Valdés Valdez Valencia Valenzuela
    Vallejo Varela Vargas Vázquez Vega Velázquez Vélez Vera Villanueva Villaseñor Villegas
    Xicoténcatl Yáñez Zamora Zárate Zavala Zepeda Zúñiga
    """
)
APELLIDOS_COMPUESTOS = (
    "De la Cruz",
    "De la Rosa",
    "De la Torre",
    "De León",
    "De los Santos",
    "Del Valle",
)
PRIMEROS_NOMBRES = {Sexo.MUJER: ("María", "Ana", "Luz", "Rosa"), Sexo.HOMBRE: ("José", "Juan")}
NOMBRES_CON_PARTICULA = {
    Sexo.MUJER: ("María de los Ángeles", "María del Carmen", "María de la Luz", "María de Jesús"),
    Sexo.HOMBRE: ("José de Jesús", "Juan de Dios", "José del Carmen"),
}
SOBRENOMBRES = {
    Sexo.MUJER: ("Lupita", "Chelo", "Conchita", "Maru", "Paty", "Vero", "Gaby", "Tere", "Chayo"),
    Sexo.HOMBRE: ("Pepe", "Paco", "Chuy", "Toño", "Memo", "Lalo", "Beto", "Nacho", "El Güero"),
}

# RENAPO skips these words of surnames and given names, and the first of a compound given name.
PARTICULAS = frozenset(
    palabras_de("DA DAS DE DEL DER DI DIE DD EL LA LAS LE LES LOS MAC MC VAN VON Y")
)
NOMBRES_COMUNES = frozenset(palabras_de("JOSE J MARIA MA M"))
VOCALES = frozenset("AEIOU")
CONSONANTES = frozenset("BCDFGHJKLMNPQRSTVWXYZ")
ALTISONANTES = frozenset(
    palabras_de("""
    BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO
    FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA
    KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO
    PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO
    VAKA VUEI VUEY WUEI WUEY
    """)
)
