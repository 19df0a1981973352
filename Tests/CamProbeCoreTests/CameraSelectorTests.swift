import CamProbeCore
import Testing

@Suite struct CameraSelectorTests {
    let cameras = [
        Camera(id: "sch27-cam01", region: "Абайская область", district: "г. Семей",
               school: School(name: "Школа-лицей №27", bin: "100440087793"), mainStream: "rtsp://10.0.0.1/a", profile: "digital-main"),
        Camera(id: "sch27-cam02", region: "Абайская область", district: "г. Семей",
               school: School(name: "Школа-лицей №27", bin: "100440087793"), mainStream: "rtsp://10.0.0.2/a", profile: "digital-main"),
        Camera(id: "aksh-dvr-ch01", region: "Абай облысы", district: "Аягөз ауданы",
               school: School(name: "Ақшәуілі орта мектебі", bin: "981140015422"), kind: .analog,
               mainStream: "rtsp://10.0.1.1/a", profile: "analog-dvr"),
    ]

    @Test func camera_byExactID() {
        #expect(CameraSelector.camera("sch27-cam02").select(from: cameras).map(\.id) == ["sch27-cam02"])
        #expect(CameraSelector.camera("SCH27-CAM02").select(from: cameras).isEmpty)
    }

    @Test func school_byNameIgnoringCaseOrByBIN() {
        #expect(CameraSelector.school("школа-лицей №27").select(from: cameras).map(\.id) == ["sch27-cam01", "sch27-cam02"])
        #expect(CameraSelector.school("981140015422").select(from: cameras).map(\.id) == ["aksh-dvr-ch01"])
        #expect(CameraSelector.school(" АҚШӘУІЛІ орта мектебі ").select(from: cameras).map(\.id) == ["aksh-dvr-ch01"])
    }

    @Test func region_byName() {
        #expect(CameraSelector.region("абайская область").select(from: cameras).count == 2)
        #expect(CameraSelector.region("Абай облысы").select(from: cameras).map(\.id) == ["aksh-dvr-ch01"])
        #expect(CameraSelector.region("Жамбыл облысы").select(from: cameras).isEmpty)
    }
}
